#include "server/api/sessions_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "server/api/grpc_status.h"
#include "server/api/publishing.h"
#include "server/api/request_fields.h"
#include "server/core/log.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

namespace {

constexpr size_t kMaxField = 200;

std::function<void(absl::Status)> FinishWith(
    grpc::ServerUnaryReactor* reactor) {
  return [reactor](absl::Status s) { reactor->Finish(ToGrpcStatus(s)); };
}
constexpr int64_t kMaxPollIntervalMs = 24LL * 3600 * 1000;

absl::Status ValidatePoll(const v1::PollRequest& req) {
  auto text = [](absl::string_view field,
                 const std::string& value) -> absl::Status {
    if (value.empty())
      return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
    if (value.size() > kMaxField) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": longer than ", kMaxField, " characters"));
    }
    return absl::OkStatus();
  };
  absl::Status s = text("client_name", req.client_name());
  if (s.ok()) s = text("run_session_id", req.run_session_id());
  if (s.ok() && (req.poll_interval_ms() <= 0 ||
                 req.poll_interval_ms() > kMaxPollIntervalMs)) {
    s = absl::InvalidArgumentError(absl::StrCat(
        "poll_interval_ms: must be from 1 to ", kMaxPollIntervalMs,
        " (Fig's default is 30000), got ", req.poll_interval_ms()));
  }
  return s;
}

}  // namespace

void CommitSessionChanges(const ServiceContext& context, SessionChanges changes,
                          std::function<void(absl::Status)> done) {
  std::vector<NewEvent> events;
  for (DerivedEvent& d : changes.events) {
    events.push_back(
        BuildEvent(context, std::move(d.event), "", d.only_web_hook_id));
  }
  if (events.empty() && changes.writes.empty()) {
    done(absl::OkStatus());
    return;
  }
  context.group_commit->Submit(
      std::move(events), std::move(changes.writes),
      [done = std::move(done)](
          absl::StatusOr<std::vector<PublishedEvent>> results) {
        done(NotStored(results.status()));
      });
}

grpc::ServerUnaryReactor* RunSessionsService::Poll(
    grpc::CallbackServerContext* ctx, const v1::PollRequest* req,
    v1::PollResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::Status valid = ValidatePoll(*req);
  if (!valid.ok()) {
    reactor->Finish(ToGrpcStatus(valid));
    return reactor;
  }
  SessionChanges changes = tracker_->Poll(*req, context_.clock->Now());
  resp->set_connected(changes.connected);
  CommitSessionChanges(context_, std::move(changes), FinishWith(reactor));
  return reactor;
}

grpc::ServerUnaryReactor* RunSessionsService::EndSession(
    grpc::CallbackServerContext* ctx, const v1::EndSessionRequest* req,
    v1::EndSessionResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (req->run_session_id().empty()) {
    reactor->Finish(
        ToGrpcStatus(absl::InvalidArgumentError("run_session_id: required")));
    return reactor;
  }
  SessionChanges changes =
      tracker_->End(req->run_session_id(), context_.clock->Now());
  resp->set_ended(changes.ended);
  CommitSessionChanges(context_, std::move(changes), FinishWith(reactor));
  return reactor;
}

grpc::ServerUnaryReactor* RunSessionsService::ListRunSessions(
    grpc::CallbackServerContext* ctx, const v1::ListRunSessionsRequest* req,
    v1::ListRunSessionsResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::Status status = [&]() -> absl::Status {
    auto page = ParsePage(req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    size_t offset = 0;
    if (!page->after.empty() && !absl::SimpleAtoi(page->after, &offset)) {
      return absl::InvalidArgumentError(
          "page_token: not a next_page_token of this list");
    }
    std::vector<v1::RunSessionGroup> groups =
        tracker_->Groups(req->client_name());
    size_t end = std::min(groups.size(), offset + page->limit);
    for (size_t i = offset; i < end; ++i)
      *resp->add_groups() = std::move(groups[i]);
    if (end < groups.size())
      resp->set_next_page_token(PageToken(absl::StrCat(end)));
    return absl::OkStatus();
  }();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

SessionSweeper::SessionSweeper(const ServiceContext& context,
                               SessionTracker* tracker, absl::Duration period)
    : context_(context),
      tracker_(tracker),
      period_(period),
      thread_([this] { Loop(); }) {}

SessionSweeper::~SessionSweeper() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void SessionSweeper::Wake() {
  absl::MutexLock l(&mu_);
  wake_ = true;
}

void SessionSweeper::Loop() {
  while (true) {
    {
      absl::MutexLock l(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), period_);
      if (stopping_) return;
      wake_ = false;
    }
    SessionChanges changes = tracker_->Expire(context_.clock->Now());
    if (changes.writes.empty()) continue;
    Log(changes.writes.size(), " run session(s) expired");
    absl::Notification committed;
    CommitSessionChanges(
        context_, std::move(changes), [&committed](absl::Status s) {
          if (!s.ok())
            Log("storing expired run sessions failed: ", s.message());
          committed.Notify();
        });
    committed.WaitForNotification();
  }
}

}  // namespace relay
