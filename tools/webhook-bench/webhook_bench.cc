// webhook-bench: measures the relay from outside, on loopback. Publishes
// --events SettingValueChanged events (unary, or in batches) from
// --concurrency threads to a relay, receives the web hooks on its own HTTP
// receiver, and reports ingest rate, delivery rate and the latency from
// Publish OK to the receiver. Its loops are bounded in count and time.
//
//   tools/dev run &   then   build/tools/webhook-bench --events=20000
//   --batch=100
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fig_webhook_relay/client.h"
#include "server/core/command_line.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "the relay");
ABSL_FLAG(int, events, 10000, "events to publish");
ABSL_FLAG(int, batch, 100, "events per PublishBatch; 0 publishes one by one");
ABSL_FLAG(int, concurrency, 8, "publishing threads");
ABSL_FLAG(absl::Duration, timeout, absl::Minutes(2),
          "give up waiting for deliveries");

namespace {

namespace v1 = ::fig::webhooks::v1;

// Arrival time of each event's web hook, by its sequence number.
class Arrivals {
 public:
  explicit Arrivals(int n) : at_(n, absl::InfinitePast()) {}
  void Record(int seq) {
    absl::MutexLock l(&mu_);
    if (seq >= 0 && seq < static_cast<int>(at_.size()) &&
        at_[seq] == absl::InfinitePast()) {
      at_[seq] = absl::Now();
      ++count_;
    }
  }
  bool WaitAll(absl::Duration timeout) {
    absl::MutexLock l(&mu_);
    auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return count_ == at_.size();
    };
    return mu_.AwaitWithTimeout(absl::Condition(&all), timeout);
  }
  std::vector<absl::Time> Times() {
    absl::MutexLock l(&mu_);
    return at_;
  }
  size_t count() {
    absl::MutexLock l(&mu_);
    return count_;
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::Time> at_ ABSL_GUARDED_BY(mu_);
  size_t count_ ABSL_GUARDED_BY(mu_) = 0;
};

// The sequence number the bench put in ChangeMessage ("seq-<n>").
int SequenceOf(const std::string& body) {
  size_t at = body.find("\"seq-");
  int seq = -1;
  if (at == std::string::npos) return seq;
  size_t end = body.find('"', at + 5);
  absl::SimpleAtoi(body.substr(at + 5, end - at - 5), &seq);
  return seq;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<size_t>(p * values.size()))];
}

int Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "webhook-bench: %s: %s\n", what.c_str(),
               status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures a running relay on loopback. See --help.");
  relay::ParseCommandLine(argc, argv);
  const int events = absl::GetFlag(FLAGS_events);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int concurrency = std::max(1, absl::GetFlag(FLAGS_concurrency));
  if (events < 1 || batch < 0) {
    std::fprintf(stderr, "webhook-bench: --events >= 1 and --batch >= 0\n");
    return 2;
  }

  // The receiver.
  Arrivals arrivals(events);
  httplib::Server receiver;
  receiver.new_task_queue = [] { return new httplib::ThreadPool(32); };
  receiver.set_keep_alive_timeout(
      1);  // stop() waits for kept-alive connections
  // Keep connections for good: a reconnect storm against the listen backlog
  // would measure the receiver, not the relay.
  receiver.set_keep_alive_max_count(1000000);
  receiver.Post(".*", [&](const httplib::Request& req, httplib::Response& res) {
    arrivals.Record(SequenceOf(req.body));
    res.status = 204;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });

  fig_webhook_relay::ConnectOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  options.deadline = absl::Seconds(60);
  auto relay = fig_webhook_relay::Client::Connect(options);
  if (!relay.ok()) return Fail("connect", relay.status());
  const std::string run =
      absl::StrCat("bench-", absl::ToUnixMillis(absl::Now()));

  v1::CreateClientRequest create;
  create.set_name(run);
  create.set_base_uri(absl::StrCat("http://127.0.0.1:", port, "/"));
  create.set_send_authorization_header(true);
  auto client = (*relay)->CreateClient(create);
  if (!client.ok()) return Fail("CreateClient", client.status());
  v1::CreateWebHookRequest hook;
  hook.mutable_web_hook()->set_client_id(client->client().id());
  hook.mutable_web_hook()->set_type(v1::SETTING_VALUE_CHANGED);
  hook.mutable_web_hook()->set_client_name_regex(absl::StrCat("^", run, "$"));
  hook.mutable_web_hook()->set_setting_name_regex(".*");
  auto hooked = (*relay)->CreateWebHook(hook);
  if (!hooked.ok()) return Fail("CreateWebHook", hooked.status());

  // Publish: each thread takes the next unit (one event, or one batch).
  std::vector<absl::Time> published(events);
  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  const int unit = batch == 0 ? 1 : batch;
  auto event_of = [&](int seq) {
    v1::PublishRequest r;
    auto* e = r.mutable_event()->mutable_setting_value_changed();
    e->set_client_name(run);
    e->add_updated_settings("DbConn");
    e->set_change_message(absl::StrCat("seq-", seq));
    return r;
  };
  const absl::Time start = absl::Now();
  std::vector<std::thread> publishers;
  for (int t = 0; t < concurrency; ++t) {
    publishers.emplace_back([&] {
      for (int first; (first = next.fetch_add(unit)) < events;) {
        const int last = std::min(events, first + unit);
        absl::Status status;
        if (batch == 0) {
          status = (*relay)->Publish(event_of(first)).status();
        } else {
          v1::PublishBatchRequest req;
          for (int seq = first; seq < last; ++seq)
            *req.add_events() = event_of(seq);
          status = (*relay)->PublishBatch(req).status();
        }
        if (!status.ok()) {
          if (errors++ == 0) Fail("publish", status);
          continue;
        }
        const absl::Time now = absl::Now();
        for (int seq = first; seq < last; ++seq) published[seq] = now;
      }
    });
  }
  for (std::thread& t : publishers) t.join();
  const absl::Duration ingest = absl::Now() - start;

  const bool all = arrivals.WaitAll(absl::GetFlag(FLAGS_timeout));
  std::vector<absl::Time> arrived = arrivals.Times();
  absl::Time last = start;
  std::vector<double> latency_ms;
  for (int seq = 0; seq < events; ++seq) {
    if (arrived[seq] == absl::InfinitePast()) continue;
    last = std::max(last, arrived[seq]);
    latency_ms.push_back(
        absl::ToDoubleMilliseconds(arrived[seq] - published[seq]));
  }
  receiver.stop();
  serving.join();

  std::printf("events %d, %s, %d threads\n", events,
              batch == 0 ? "unary" : absl::StrCat("batches of ", batch).c_str(),
              concurrency);
  std::printf("ingest    %.0f events/s (%.3f s, %d errors)\n",
              events / absl::ToDoubleSeconds(ingest),
              absl::ToDoubleSeconds(ingest), errors.load());
  std::printf("delivered %zu of %d, %.0f web hooks/s end to end\n",
              arrivals.count(), events,
              arrivals.count() / absl::ToDoubleSeconds(last - start));
  std::printf("latency   Publish OK -> receiver: p50 %.1f ms, p99 %.1f ms\n",
              Percentile(latency_ms, 0.5), Percentile(latency_ms, 0.99));

  v1::DeleteWebHookRequest del;
  del.set_id(hooked->web_hook().id());
  (void)(*relay)->DeleteWebHook(del);
  return all && errors == 0 ? 0 : 1;
}
