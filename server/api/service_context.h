// What the gRPC services share, and the macro that declares a unary RPC run
// on the executor.
#ifndef SERVER_API_SERVICE_CONTEXT_H_
#define SERVER_API_SERVICE_CONTEXT_H_

#include <functional>
#include <string>

#include "server/api/executor.h"
#include "server/api/unary.h"
#include "server/core/clock.h"
#include "server/core/router.h"
#include "server/crypto/secret_box.h"
#include "server/delivery/http_sender.h"
#include "server/store/group_commit.h"
#include "server/store/store.h"

namespace relay {

// Nothing here is owned.
struct ServiceContext {
  Store* store = nullptr;
  const SecretBox* secret_box = nullptr;
  Clock* clock = nullptr;
  Executor* executor = nullptr;
  Router* router = nullptr;
  GroupCommit* group_commit = nullptr;
  HttpSender* http = nullptr;
  // Fig's web address, for Link.
  std::string fig_web_url;
  // TestClient's default timeout.
  absl::Duration test_timeout = absl::Seconds(2);
  // After a web hook changed (the router reloads).
  std::function<void()> web_hooks_changed = [] {};
  // After deliveries became due (the dispatcher looks now).
  std::function<void()> deliveries_due = [] {};
};

// Declares the gRPC override, which runs Do<Method> on the executor, and
// Do<Method> itself.
#define RELAY_UNARY_RPC(Method, Request, Response)                          \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* ctx,        \
                                   const ::fig::webhooks::v1::Request* req, \
                                   ::fig::webhooks::v1::Response* resp)     \
      override {                                                            \
    return RunUnary(ctx, context_.executor,                                 \
                    [this, req, resp] { return Do##Method(*req, resp); });  \
  }                                                                         \
  absl::Status Do##Method(const ::fig::webhooks::v1::Request& req,          \
                          ::fig::webhooks::v1::Response* resp)

}  // namespace relay

#endif  // SERVER_API_SERVICE_CONTEXT_H_
