// One unary call with a deadline, for tests: Call(stub, &Stub::Method, req,
// &resp).
#ifndef TESTS_SUPPORT_GRPC_CALL_H_
#define TESTS_SUPPORT_GRPC_CALL_H_

#include <chrono>

#include "grpcpp/grpcpp.h"

namespace relay::testing {

template <typename Stub, typename Method, typename Request, typename Response>
grpc::Status Call(Stub* stub, Method method, const Request& request,
                  Response* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return (stub->*method)(&ctx, request, response);
}

}  // namespace relay::testing

#endif  // TESTS_SUPPORT_GRPC_CALL_H_
