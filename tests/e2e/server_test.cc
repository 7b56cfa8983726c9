// The real binary, from outside: health, reflection (what grpcurl uses),
// clean shutdown on SIGTERM and SIGINT.
#include <signal.h>
#include <sys/wait.h>

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/relay_process.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

namespace health = ::grpc::health::v1;
namespace reflection = ::grpc::reflection::v1alpha;

TEST(ServerTest, HealthCheckAnswersServing) {
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  auto stub = health::Health::NewStub(relay.Channel());
  grpc::ClientContext ctx;
  health::HealthCheckRequest request;
  health::HealthCheckResponse response;
  grpc::Status status = stub->Check(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING);
}

// What `grpcurl -plaintext localhost:50051 list` sees.
std::set<std::string> ListServices(RelayProcess& relay) {
  auto stub = reflection::ServerReflection::NewStub(relay.Channel());
  grpc::ClientContext ctx;
  auto stream = stub->ServerReflectionInfo(&ctx);
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  EXPECT_TRUE(stream->Write(request));
  stream->WritesDone();
  reflection::ServerReflectionResponse response;
  std::set<std::string> names;
  while (stream->Read(&response)) {
    for (const auto& s : response.list_services_response().service()) {
      names.insert(s.name());
    }
  }
  EXPECT_TRUE(stream->Finish().ok());
  return names;
}

TEST(ServerTest, ReflectionListsEveryService) {
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  EXPECT_THAT(
      ListServices(relay),
      ::testing::IsSupersetOf(
          {"fig.webhooks.v1.WebHookAdmin", "fig.webhooks.v1.EventIngest",
           "fig.webhooks.v1.RunSessions", "grpc.health.v1.Health",
           "grpc.reflection.v1alpha.ServerReflection"}));
}

TEST(ServerTest, ReflectionDescribesTheContracts) {
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  auto stub = reflection::ServerReflection::NewStub(relay.Channel());
  grpc::ClientContext ctx;
  auto stream = stub->ServerReflectionInfo(&ctx);
  reflection::ServerReflectionRequest request;
  request.set_file_containing_symbol("fig.webhooks.v1.EventIngest");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  reflection::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(), 0)
      << response.DebugString();
  while (stream->Read(&response)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

class ShutdownTest : public ::testing::TestWithParam<int> {};

TEST_P(ShutdownTest, StopsCleanlyOnSignal) {
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  int status = relay.Stop(GetParam());
  ASSERT_TRUE(WIFEXITED(status)) << relay.Stderr();
  EXPECT_EQ(WEXITSTATUS(status), 0) << relay.Stderr();
  EXPECT_THAT(relay.Stderr(), ::testing::HasSubstr("shutting down"));
}

INSTANTIATE_TEST_SUITE_P(Signals, ShutdownTest,
                         ::testing::Values(SIGTERM, SIGINT));

TEST(ServerTest, RefusesAnAddressItCannotListenOn) {
  TempDir dir;
  RelayProcess first(dir.File("a"));
  // The same port again cannot be bound.
  std::string port = first.address().substr(first.address().rfind(':') + 1);
  std::string cmd = "timeout 30 " + std::string(RELAY_BINARY_DIR) +
                    "/server/webhook-relay --listen=127.0.0.1:" + port +
                    " --data-dir=" + dir.File("b") + " 2>" + dir.File("err");
  int status = std::system(cmd.c_str());
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_THAT(ReadFileOrEmpty(dir.File("err")),
              ::testing::HasSubstr("--listen"));
}

}  // namespace
}  // namespace relay::testing
