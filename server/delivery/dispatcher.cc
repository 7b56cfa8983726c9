#include "server/delivery/dispatcher.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/core/log.h"
#include "server/core/web_hook_type.h"
#include "server/crypto/secrets.h"
#include "server/delivery/url.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;
using ::google::protobuf::util::TimeUtil;

namespace {

constexpr absl::Duration kMaxRetryAfter = absl::Hours(24);
constexpr absl::Duration kIdleWait = absl::Seconds(1);
constexpr absl::Duration kDrainTime = absl::Seconds(5);

// Headers as the delivery log shows them: secrets redacted.
std::vector<v1::Header> Redacted(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<v1::Header> out;
  for (const auto& [name, value] : headers) {
    v1::Header& h = out.emplace_back();
    h.set_name(name);
    h.set_value(name == "Authorization" ? "Secret <redacted>" : value);
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> WebHookHeaders(
    const StoredClient& client, const std::string& secret,
    const std::string& previous_secret, absl::string_view webhook_id,
    absl::Time now, absl::string_view body) {
  const int64_t timestamp = absl::ToUnixSeconds(now);
  std::string signature =
      SignPayload(SigningKey(secret), webhook_id, timestamp, body);
  if (!previous_secret.empty()) {
    absl::StrAppend(
        &signature, " ",
        SignPayload(SigningKey(previous_secret), webhook_id, timestamp, body));
  }
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/json; charset=utf-8"},
      {"webhook-id", std::string(webhook_id)},
      {"webhook-timestamp", absl::StrCat(timestamp)},
      {"webhook-signature", std::move(signature)},
  };
  if (client.client.send_authorization_header()) {
    headers.push_back({"Authorization", absl::StrCat("Secret ", secret)});
  }
  return headers;
}

Dispatcher::Dispatcher(Store* store, const SecretBox* secret_box,
                       HttpSender* http, RetryPolicy* retry, Clock* clock,
                       DispatcherOptions options)
    : store_(store),
      secret_box_(secret_box),
      http_(http),
      retry_(retry),
      clock_(clock),
      options_(options) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Dispatcher::Stop() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Dispatcher::Wake() {
  absl::MutexLock l(&mu_);
  wake_ = true;
}

void Dispatcher::Loop() {
  absl::Time next_due = absl::InfinitePast();
  // Once stopping: no new claims; attempts in flight get until then to
  // finish and be recorded.
  absl::Time drain_deadline = absl::InfiniteFuture();
  while (true) {
    std::vector<Outcome> outcomes;
    bool stopping;
    {
      absl::MutexLock l(&mu_);
      absl::Duration wait =
          std::clamp(next_due - clock_->Now(), absl::ZeroDuration(), kIdleWait);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stopping_ || !outcomes_.empty();
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), wait);
      stopping = stopping_;
      if (stopping && drain_deadline == absl::InfiniteFuture()) {
        drain_deadline = absl::Now() + kDrainTime;
      }
      if (stopping && outcomes_.empty() &&
          (in_flight_.empty() || absl::Now() > drain_deadline)) {
        return;
      }
      if (stopping && outcomes_.empty()) {
        auto arrived = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !outcomes_.empty();
        };
        mu_.AwaitWithDeadline(absl::Condition(&arrived), drain_deadline);
      }
      wake_ = false;
      outcomes.swap(outcomes_);
    }
    if (!outcomes.empty()) {
      std::vector<AttemptRecord> records;
      for (const Outcome& o : outcomes) records.push_back(Record(o));
      absl::Status status = store_->RecordAttempts(records);
      if (!status.ok()) {
        // The leases run out and the deliveries are sent again: at least once.
        Log("recording ", records.size(),
            " attempts failed: ", status.message());
      }
      absl::MutexLock l(&mu_);
      for (const Outcome& o : outcomes) {
        in_flight_.erase(o.delivery.id);
        if (!o.delivery.client.has_value()) continue;
        const std::string& client_id = o.delivery.client->client.id();
        if (--in_flight_by_client_[client_id] == 0) {
          in_flight_by_client_.erase(client_id);
        }
      }
    }

    if (stopping) continue;
    const absl::Time now = clock_->Now();
    ClaimRequest claim;
    claim.now = now;
    claim.lease_until = now + options_.lease;
    {
      absl::MutexLock l(&mu_);
      claim.limit =
          options_.max_in_flight - static_cast<int>(in_flight_.size());
      for (const auto& [client_id, n] : in_flight_by_client_) {
        if (n >= options_.max_in_flight_per_client)
          claim.busy_clients.push_back(client_id);
      }
    }
    if (claim.limit <= 0) {
      next_due = now + kIdleWait;  // an outcome wakes the loop sooner
      continue;
    }
    // The per-client bound, counted as claims are admitted.
    absl::flat_hash_map<std::string, int> claimed_by_client;
    claim.admit = [&](const std::string& delivery_id,
                      const std::string& client_id) {
      absl::MutexLock l(&mu_);
      // Still in flight here, though its lease ran out (a slow receiver, or
      // a clock that jumped): never twice at once.
      if (in_flight_.contains(delivery_id)) return false;
      auto it = in_flight_by_client_.find(client_id);
      int busy = (it == in_flight_by_client_.end() ? 0 : it->second) +
                 claimed_by_client[client_id];
      if (busy >= options_.max_in_flight_per_client) return false;
      ++claimed_by_client[client_id];
      return true;
    };
    auto due = store_->ClaimDue(claim);
    if (!due.ok()) {
      Log("claiming due deliveries failed: ", due.status().message());
      next_due = now + kIdleWait;
      continue;
    }
    next_due = due->next_due;
    // Due ones left over were refused (their client reached its bound in
    // this claim, or they are still in flight): an outcome wakes the loop
    // when there is room again, so do not spin on them.
    if (next_due <= now) next_due = now + kIdleWait;
    for (DueDelivery& d : due->deliveries) Send(std::move(d), now);
  }
}

void Dispatcher::Send(DueDelivery d, absl::Time now) {
  Outcome outcome;
  outcome.start = now;
  HttpRequest request;
  std::string error;
  if (!d.client.has_value()) {
    error = "the client was deleted";
  } else {
    const StoredClient& client = *d.client;
    auto url = ResolveRoute(client.client.base_uri(), RouteOf(d.type));
    auto secret = secret_box_->Open(client.sealed_secret, client.client.id());
    absl::StatusOr<std::string> previous = std::string();
    if (!client.sealed_previous_secret.empty() &&
        TimeUtil::TimestampToMicroseconds(
            client.client.previous_secret_expire_time()) >
            absl::ToUnixMicros(now)) {
      previous =
          secret_box_->Open(client.sealed_previous_secret, client.client.id());
    }
    if (!url.ok()) {
      error = std::string(url.status().message());
    } else if (!secret.ok() || !previous.ok()) {
      error = "the client's secret does not open: was the key file replaced?";
    } else {
      outcome.url = request.url = *url;
      request.headers =
          WebHookHeaders(client, *secret, *previous, d.id, now, d.payload);
      request.body = d.payload;
      request.timeout = options_.request_timeout;
      outcome.headers = Redacted(request.headers);
    }
  }
  {
    absl::MutexLock l(&mu_);
    in_flight_.insert(d.id);
    if (d.client.has_value()) ++in_flight_by_client_[d.client->client.id()];
  }
  outcome.delivery = std::move(d);
  if (!error.empty()) {
    outcome.result.error = std::move(error);
    Done(std::move(outcome));
    return;
  }
  http_->Send(std::move(request),
              [this, outcome = std::move(outcome)](HttpResult result) mutable {
                outcome.result = std::move(result);
                Done(std::move(outcome));
              });
}

void Dispatcher::Done(Outcome outcome) {
  absl::MutexLock l(&mu_);
  outcomes_.push_back(std::move(outcome));
}

AttemptRecord Dispatcher::Record(const Outcome& o) {
  const HttpResult& result = o.result;
  AttemptRecord r;
  r.delivery_id = o.delivery.id;
  r.url = o.url;
  r.request_headers = o.headers;
  v1::DeliveryAttempt& a = r.attempt;
  a.set_number(o.delivery.attempt_count + 1);
  *a.mutable_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(o.start));
  a.set_http_status(result.status);
  *a.mutable_duration() = TimeUtil::MicrosecondsToDuration(
      absl::ToInt64Microseconds(result.duration));
  a.set_error(result.error.empty() && !RetryPolicy::IsSuccess(result.status)
                  ? absl::StrCat("HTTP ", result.status)
                  : result.error);
  a.set_response_body(result.body);
  a.set_manual(o.delivery.manual);

  if (RetryPolicy::IsSuccess(result.status)) {
    r.state = v1::DELIVERY_STATE_SUCCEEDED;
    return r;
  }
  int automatic = o.delivery.automatic_attempts + (o.delivery.manual ? 0 : 1);
  absl::Duration retry_after =
      RetryPolicy::HonoursRetryAfter(result.status)
          ? std::min(result.retry_after, kMaxRetryAfter)
          : absl::ZeroDuration();
  std::optional<absl::Duration> delay =
      retry_->NextDelay(automatic, retry_after);
  if (RetryPolicy::IsPermanentFailure(result.status) ||
      !o.delivery.client.has_value() || !delay.has_value()) {
    r.state = v1::DELIVERY_STATE_DEAD;
    Log("delivery ", o.delivery.id, " is dead after ", a.number(),
        " attempts: ", a.error());
    return r;
  }
  r.state = v1::DELIVERY_STATE_PENDING;
  r.next_attempt_time = o.start + *delay;
  return r;
}

}  // namespace relay
