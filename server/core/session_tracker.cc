#include "server/core/session_tracker.h"

#include <algorithm>

#include "server/core/web_hook_type.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

namespace {

constexpr size_t kMaxMemorySamples = 10000;

absl::Duration Interval(const v1::PollRequest& poll) {
  return absl::Milliseconds(poll.poll_interval_ms());
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  const int64_t us = absl::ToUnixMicros(t);
  out.set_seconds(us / 1000000);
  out.set_nanos(static_cast<int>(us % 1000000) * 1000);
  return out;
}

// Client name and instance, as every payload carries them.
template <typename Payload>
void Identify(const v1::PollRequest& poll, Payload* p) {
  p->set_client_name(poll.client_name());
  if (poll.has_instance()) p->set_instance(poll.instance());
}

v1::Event StatusChanged(const SessionRecord& s, v1::ConnectionEvent what) {
  const v1::PollRequest& poll = s.last_poll;
  v1::Event e;
  auto* p = e.mutable_client_status_changed();
  Identify(poll, p);
  p->set_connection_event(what);
  *p->mutable_start_time() =
      poll.has_start_time() ? poll.start_time() : ToProto(s.first_seen);
  if (poll.has_ip_address()) p->set_ip_address(poll.ip_address());
  if (poll.has_hostname()) p->set_hostname(poll.hostname());
  p->set_fig_version(poll.fig_version());
  p->set_application_version(poll.application_version());
  return e;
}

v1::Event ConfigurationError(const v1::PollRequest& poll) {
  v1::Event e;
  auto* p = e.mutable_configuration_error();
  Identify(poll, p);
  p->set_status(poll.has_configuration_error()
                    ? v1::CONFIGURATION_ERROR_STATUS_ERROR
                    : v1::CONFIGURATION_ERROR_STATUS_RESOLVED);
  p->set_fig_version(poll.fig_version());
  p->set_application_version(poll.application_version());
  if (poll.has_configuration_error()) {
    *p->mutable_configuration_errors() = poll.configuration_errors();
  }
  return e;
}

}  // namespace

bool IsExpired(const SessionRecord& s, absl::Time now) {
  return s.last_seen + 2 * Interval(s.last_poll) + absl::Milliseconds(50) < now;
}

SessionTracker::GroupKey SessionTracker::KeyOf(const v1::PollRequest& poll) {
  return {poll.client_name(),
          poll.has_instance() ? poll.instance() : std::string(1, '\0')};
}

void SessionTracker::Restore(std::vector<SessionRecord> sessions,
                             absl::Time now) {
  absl::MutexLock l(&mu_);
  for (SessionRecord& r : sessions) {
    r.last_seen = std::max(r.last_seen, now - Interval(r.last_poll));
    ++counts_[KeyOf(r.last_poll)];
    Session& s = sessions_[r.id];
    s.record = std::move(r);
    s.last_analysis = now;
  }
}

SessionChanges SessionTracker::Poll(const v1::PollRequest& poll,
                                    absl::Time now) {
  SessionChanges out;
  absl::MutexLock l(&mu_);
  auto it = sessions_.find(poll.run_session_id());
  if (it != sessions_.end() &&
      KeyOf(it->second.record.last_poll) != KeyOf(poll)) {
    // The same id under another client or instance: the old one ended.
    Disconnect(poll.run_session_id(), &out);
    it = sessions_.end();
  }
  const bool fresh = it == sessions_.end();
  if (fresh) it = sessions_.try_emplace(poll.run_session_id()).first;
  Session& s = it->second;
  const bool had_error = !fresh && s.record.last_poll.has_configuration_error();
  s.record.id = poll.run_session_id();
  s.record.last_poll = poll;
  s.record.last_seen = now;
  if (fresh) {
    s.record.first_seen = now;
    s.last_analysis = now;
    Connect(s, &out);
    if (poll.has_configuration_error()) {
      out.events.push_back({ConfigurationError(poll), ""});
    }
  } else if (had_error != poll.has_configuration_error()) {
    out.events.push_back({ConfigurationError(poll), ""});
  }
  if (poll.has_memory_usage_bytes() && !s.record.leak_reported) {
    if (s.memory.size() >= kMaxMemorySamples) {
      // Bounded: a session that lives for months keeps its recent history.
      s.memory.erase(s.memory.begin(),
                     s.memory.begin() + kMaxMemorySamples / 2);
    }
    s.memory.push_back({now, static_cast<double>(poll.memory_usage_bytes())});
    AnalyzeMemory(s, now, &out);
    if (s.record.leak_reported) s.memory.clear();  // reported once; done
  }
  out.writes.push_back({s.record.id, s.record});
  return out;
}

SessionChanges SessionTracker::End(const std::string& id, absl::Time now) {
  SessionChanges out;
  absl::MutexLock l(&mu_);
  if (sessions_.contains(id)) {
    Disconnect(id, &out);
    out.ended = true;
  }
  return out;
}

SessionChanges SessionTracker::Expire(absl::Time now) {
  SessionChanges out;
  absl::MutexLock l(&mu_);
  std::vector<std::pair<absl::Time, std::string>> expired;
  for (const auto& [id, s] : sessions_) {
    if (IsExpired(s.record, now)) expired.push_back({s.record.last_seen, id});
  }
  // Oldest silence first, so counts step down in a stable order.
  std::sort(expired.begin(), expired.end());
  for (const auto& [unused, id] : expired) Disconnect(id, &out);
  return out;
}

void SessionTracker::Connect(Session& s, SessionChanges* out) {
  out->connected = true;
  out->events.push_back(
      {StatusChanged(s.record, v1::CONNECTION_EVENT_CONNECTED), ""});
  int count = ++counts_[KeyOf(s.record.last_poll)];
  MinimumCrossed(s.record.last_poll, count, /*connect=*/true, out);
}

void SessionTracker::Disconnect(const std::string& id, SessionChanges* out) {
  auto it = sessions_.find(id);
  SessionRecord record = std::move(it->second.record);
  sessions_.erase(it);
  out->events.push_back(
      {StatusChanged(record, v1::CONNECTION_EVENT_DISCONNECTED), ""});
  GroupKey key = KeyOf(record.last_poll);
  int count = counts_[key]--;  // before removing
  if (counts_[key] == 0) counts_.erase(key);
  MinimumCrossed(record.last_poll, count, /*connect=*/false, out);
  out->writes.push_back({id, std::nullopt});
}

void SessionTracker::MinimumCrossed(const v1::PollRequest& poll, int count,
                                    bool connect, SessionChanges* out) {
  // Fig's rule: with c the count after a connect or before a disconnect,
  // a web hook with minimum m fires when c >= m and c - 1 < m.
  for (const WebHookFilter& hook : router_->WebHooksOf(v1::MIN_RUN_SESSIONS)) {
    const int m = hook.hook().min_sessions();
    if (!(count >= m && count - 1 < m) ||
        !hook.MatchesClient(poll.client_name())) {
      continue;
    }
    DerivedEvent& d = out->events.emplace_back();
    d.only_web_hook_id = hook.hook().id();
    auto* p = d.event.mutable_min_run_sessions();
    Identify(poll, p);
    p->set_run_sessions(connect ? count : count - 1);
    p->set_run_sessions_event(connect ? v1::RUN_SESSIONS_EVENT_MINIMUM_RESTORED
                                      : v1::RUN_SESSIONS_EVENT_BELOW_MINIMUM);
  }
}

void SessionTracker::AnalyzeMemory(Session& s, absl::Time now,
                                   SessionChanges* out) {
  if (s.record.leak_reported) return;
  if (now - s.last_analysis < kMemoryAnalysisInterval) return;
  if (now - s.record.first_seen < kMemoryWarmUp + kMemoryAnalysisInterval)
    return;
  s.last_analysis = now;
  std::optional<LeakFinding> leak =
      FindMemoryLeak(s.memory, s.record.first_seen);
  if (!leak.has_value()) return;
  s.record.leak_reported = true;
  DerivedEvent& d = out->events.emplace_back();
  auto* p = d.event.mutable_memory_leak_detected();
  Identify(s.record.last_poll, p);
  p->set_trend_line_slope(leak->trend_line_slope);
  p->set_starting_bytes_average(leak->starting_bytes_average);
  p->set_ending_bytes_average(leak->ending_bytes_average);
  p->set_seconds_analyzed(leak->seconds_analyzed);
  p->set_data_points_analyzed(leak->data_points_analyzed);
}

std::vector<v1::RunSessionGroup> SessionTracker::Groups(
    const std::string& client_name) {
  absl::MutexLock l(&mu_);
  std::map<GroupKey, std::pair<v1::RunSessionGroup, absl::Time>> groups;
  for (const auto& [id, s] : sessions_) {
    const v1::PollRequest& poll = s.record.last_poll;
    if (!client_name.empty() && poll.client_name() != client_name) continue;
    auto [it, fresh] = groups.try_emplace(KeyOf(poll));
    auto& [g, last_seen] = it->second;
    if (fresh) {
      g.set_client_name(poll.client_name());
      if (poll.has_instance()) g.set_instance(poll.instance());
      last_seen = s.record.last_seen;
    }
    g.set_count(g.count() + 1);
    g.add_run_session_ids(id);
    last_seen = std::max(last_seen, s.record.last_seen);
  }
  std::vector<v1::RunSessionGroup> out;
  for (auto& [key, value] : groups) {
    auto& [g, last_seen] = value;
    *g.mutable_last_seen() = ToProto(last_seen);
    std::sort(g.mutable_run_session_ids()->begin(),
              g.mutable_run_session_ids()->end());
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace relay
