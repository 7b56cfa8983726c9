#include "server/core/session_tracker.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

namespace v1 = ::fig::webhooks::v1;
using ::testing::ElementsAre;

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);

WebHookFilter MinHook(std::string id, int min, std::string client_re = ".*") {
  v1::WebHook h;
  h.set_id(id);
  h.set_client_id("c");
  h.set_type(v1::MIN_RUN_SESSIONS);
  h.set_client_name_regex(client_re);
  h.set_min_sessions(min);
  return *WebHookFilter::Compile(h);
}

v1::PollRequest Poll(std::string id, int64_t interval_ms = 30000,
                     std::string client = "OrderSvc") {
  v1::PollRequest p;
  p.set_client_name(client);
  p.set_run_session_id(id);
  p.set_poll_interval_ms(interval_ms);
  p.set_fig_version("4.0.0");
  return p;
}

// "Connected", "Disconnected", "Restored(2)@hook", "Below(1)@hook",
// "Error", "Resolved", "Leak".
std::vector<std::string> Names(const SessionChanges& c) {
  std::vector<std::string> out;
  for (const DerivedEvent& d : c.events) {
    const v1::Event& e = d.event;
    if (e.has_client_status_changed()) {
      out.push_back(e.client_status_changed().connection_event() ==
                            v1::CONNECTION_EVENT_CONNECTED
                        ? "Connected"
                        : "Disconnected");
    } else if (e.has_min_run_sessions()) {
      const auto& m = e.min_run_sessions();
      out.push_back(absl::StrCat(
          m.run_sessions_event() == v1::RUN_SESSIONS_EVENT_MINIMUM_RESTORED
              ? "Restored"
              : "Below",
          "(", m.run_sessions(), ")@", d.only_web_hook_id));
    } else if (e.has_configuration_error()) {
      out.push_back(e.configuration_error().status() ==
                            v1::CONFIGURATION_ERROR_STATUS_ERROR
                        ? "Error"
                        : "Resolved");
    } else if (e.has_memory_leak_detected()) {
      out.push_back("Leak");
    }
  }
  return out;
}

TEST(SessionTrackerTest, FigsOwnSequenceForAMinimumOfTwo) {
  Router router;
  router.SetWebHooks({MinHook("m2", 2)});
  SessionTracker tracker(&router);
  EXPECT_THAT(Names(tracker.Poll(Poll("s1"), kT0)), ElementsAre("Connected"));
  EXPECT_THAT(Names(tracker.Poll(Poll("s2"), kT0)),
              ElementsAre("Connected", "Restored(2)@m2"));
  EXPECT_THAT(Names(tracker.Poll(Poll("s2"), kT0)), ElementsAre());
  EXPECT_THAT(Names(tracker.End("s2", kT0)),
              ElementsAre("Disconnected", "Below(1)@m2"));
  EXPECT_THAT(Names(tracker.Poll(Poll("s3"), kT0)),
              ElementsAre("Connected", "Restored(2)@m2"));
  // A third session crosses nothing.
  EXPECT_THAT(Names(tracker.Poll(Poll("s4"), kT0)), ElementsAre("Connected"));
}

TEST(SessionTrackerTest, EachWebHookHasItsOwnMinimumAndClientFilter) {
  Router router;
  router.SetWebHooks(
      {MinHook("m1", 1), MinHook("m2", 2), MinHook("billing", 1, "Billing")});
  SessionTracker tracker(&router);
  EXPECT_THAT(Names(tracker.Poll(Poll("a"), kT0)),
              ElementsAre("Connected", "Restored(1)@m1"));
  EXPECT_THAT(Names(tracker.Poll(Poll("b"), kT0)),
              ElementsAre("Connected", "Restored(2)@m2"));
  // Counted per client name + instance.
  v1::PollRequest other = Poll("c");
  other.set_instance("blue");
  EXPECT_THAT(Names(tracker.Poll(other, kT0)),
              ElementsAre("Connected", "Restored(1)@m1"));
}

TEST(SessionTrackerTest, ALoneSilentSessionGoesBelowAMinimumOfOne) {
  Router router;
  router.SetWebHooks({MinHook("m1", 1)});
  SessionTracker tracker(&router);
  tracker.Poll(Poll("lone", 1000), kT0);
  // Expired when last_seen + 2 * interval + 50 ms < now.
  const absl::Time edge = kT0 + absl::Milliseconds(2050);
  EXPECT_THAT(Names(tracker.Expire(edge)), ElementsAre());
  SessionChanges expired = tracker.Expire(edge + absl::Microseconds(1));
  EXPECT_THAT(Names(expired), ElementsAre("Disconnected", "Below(0)@m1"));
  ASSERT_EQ(expired.writes.size(), 1u);
  EXPECT_FALSE(expired.writes[0].record.has_value());  // deleted from the store
  EXPECT_TRUE(tracker.Groups("").empty());
}

TEST(SessionTrackerTest, ExpiryUsesEachSessionsOwnInterval) {
  Router router;
  SessionTracker tracker(&router);
  tracker.Poll(Poll("fast", 1000), kT0);
  tracker.Poll(Poll("slow", 10000), kT0);
  EXPECT_THAT(Names(tracker.Expire(kT0 + absl::Seconds(3))),
              ElementsAre("Disconnected"));
  ASSERT_EQ(tracker.Groups("").size(), 1u);
  EXPECT_THAT(tracker.Groups("")[0].run_session_ids(), ElementsAre("slow"));
  // Polling keeps a session alive.
  tracker.Poll(Poll("slow", 10000), kT0 + absl::Seconds(15));
  EXPECT_THAT(Names(tracker.Expire(kT0 + absl::Seconds(30))), ElementsAre());
  EXPECT_THAT(Names(tracker.Expire(kT0 + absl::Seconds(36))),
              ElementsAre("Disconnected"));
}

TEST(SessionTrackerTest, ConfigurationErrorOnOffAndAtStart) {
  Router router;
  SessionTracker tracker(&router);
  v1::PollRequest p = Poll("s1");
  EXPECT_THAT(Names(tracker.Poll(p, kT0)), ElementsAre("Connected"));
  p.set_has_configuration_error(true);
  p.add_configuration_errors("DbConn is empty");
  SessionChanges on = tracker.Poll(p, kT0);
  ASSERT_THAT(Names(on), ElementsAre("Error"));
  EXPECT_THAT(on.events[0].event.configuration_error().configuration_errors(),
              ElementsAre("DbConn is empty"));
  EXPECT_THAT(Names(tracker.Poll(p, kT0)), ElementsAre());  // no change
  p.set_has_configuration_error(false);
  p.clear_configuration_errors();
  EXPECT_THAT(Names(tracker.Poll(p, kT0)), ElementsAre("Resolved"));

  v1::PollRequest broken = Poll("s2");
  broken.set_has_configuration_error(true);
  EXPECT_THAT(Names(tracker.Poll(broken, kT0)),
              ElementsAre("Connected", "Error"));
}

TEST(SessionTrackerTest,
     RestoredSessionsAreNotConnectedAgainAndSilentOnesExpireLater) {
  Router router;
  router.SetWebHooks({MinHook("m1", 1)});
  std::vector<SessionRecord> stored;
  {
    SessionTracker before(&router);
    for (const char* id : {"alive", "silent"}) {
      for (const SessionWrite& w : before.Poll(Poll(id, 1000), kT0).writes) {
        stored.push_back(*w.record);
      }
    }
  }
  // The relay was down for an hour.
  const absl::Time restart = kT0 + absl::Hours(1);
  SessionTracker after(&router);
  after.Restore(stored, restart);
  EXPECT_THAT(Names(after.Poll(Poll("alive", 1000), restart)), ElementsAre());
  EXPECT_EQ(after.Groups("")[0].count(), 2);
  // Expires one poll interval (plus 50 ms) after the restart, not at once.
  EXPECT_THAT(Names(after.Expire(restart + absl::Milliseconds(1050))),
              ElementsAre());
  EXPECT_THAT(Names(after.Expire(restart + absl::Milliseconds(1051))),
              ElementsAre("Disconnected"));
  after.Poll(Poll("alive", 1000), restart + absl::Seconds(1));
  EXPECT_THAT(Names(after.End("alive", restart + absl::Seconds(2))),
              ElementsAre("Disconnected", "Below(0)@m1"));
}

TEST(SessionTrackerTest, GroupsCountLiveSessionsPerClientAndInstance) {
  Router router;
  SessionTracker tracker(&router);
  tracker.Poll(Poll("a"), kT0);
  tracker.Poll(Poll("b"), kT0 + absl::Seconds(5));
  tracker.Poll(Poll("c", 30000, "Billing"), kT0);
  auto groups = tracker.Groups("");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].client_name(), "Billing");
  EXPECT_EQ(groups[1].count(), 2);
  EXPECT_EQ(groups[1].last_seen().seconds(), absl::ToUnixSeconds(kT0) + 5);
  EXPECT_EQ(tracker.Groups("Billing").size(), 1u);
  EXPECT_FALSE(tracker.End("nope", kT0).ended);
}

TEST(SessionTrackerTest, MemoryLeakIsReportedOncePerSession) {
  Router router;
  SessionTracker tracker(&router);
  int leaks = 0;
  // A poll every 20 s for an hour, memory rising steadily.
  for (int i = 0; i <= 180; ++i) {
    v1::PollRequest p = Poll("leaky", 20000);
    p.set_memory_usage_bytes(100000000 + int64_t{i} * 100000);
    for (const std::string& name :
         Names(tracker.Poll(p, kT0 + absl::Seconds(20 * i)))) {
      leaks += name == "Leak";
    }
  }
  EXPECT_EQ(leaks, 1);
}

}  // namespace
}  // namespace relay
