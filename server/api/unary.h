// Runs an RPC's work on the Executor and finishes the call with its status.
#ifndef SERVER_API_UNARY_H_
#define SERVER_API_UNARY_H_

#include <utility>

#include "grpcpp/grpcpp.h"
#include "server/api/executor.h"
#include "server/api/grpc_status.h"

namespace relay {

// `fn` returns absl::Status and fills the response; it runs on `executor`,
// never on the gRPC callback thread. The reactor is finished exactly once.
template <typename Fn>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* ctx,
                                   Executor* executor, Fn fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  executor->Schedule([reactor, fn = std::move(fn)]() mutable {
    reactor->Finish(ToGrpcStatus(fn()));
  });
  return reactor;
}

}  // namespace relay

#endif  // SERVER_API_UNARY_H_
