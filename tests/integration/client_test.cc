// The C++ client library against a scripted server: it sends the bearer
// token, keeps deadlines, retries UNAVAILABLE for calls that change nothing
// and never for calls that do. (Against the real relay it is exercised by
// webhookctl in the README test.)
#include "fig_webhook_relay/client.h"

#include <atomic>
#include <memory>
#include <string>

#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace relay::testing {
namespace {

namespace v1 = ::fig::webhooks::v1;

// Answers UNAVAILABLE to the first `failures` calls of each method.
class FlakyAdmin final : public v1::WebHookAdmin::Service {
 public:
  explicit FlakyAdmin(int failures) : failures_(failures) {}

  grpc::Status GetClient(grpc::ServerContext* ctx,
                         const v1::GetClientRequest* req,
                         v1::WebHookClient* resp) override {
    Note(ctx);
    if (get_calls_++ < failures_)
      return {grpc::StatusCode::UNAVAILABLE, "try again"};
    resp->set_id(req->id());
    return grpc::Status::OK;
  }
  grpc::Status CreateClient(grpc::ServerContext* ctx,
                            const v1::CreateClientRequest*,
                            v1::CreateClientResponse*) override {
    Note(ctx);
    ++create_calls_;
    return {grpc::StatusCode::UNAVAILABLE, "try again"};
  }

  std::atomic<int> get_calls_{0};
  std::atomic<int> create_calls_{0};
  std::string authorization;

 private:
  void Note(grpc::ServerContext* ctx) {
    auto it = ctx->client_metadata().find("authorization");
    if (it != ctx->client_metadata().end()) {
      authorization = std::string(it->second.data(), it->second.size());
    }
  }
  const int failures_;
};

class ClientTest : public ::testing::Test {
 protected:
  void Start(int failures) {
    service_ = std::make_unique<FlakyAdmin>(failures);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    fig_webhook_relay::ConnectOptions options;
    options.target = "127.0.0.1:" + std::to_string(port);
    options.bearer_token = "t0ken";
    auto client = fig_webhook_relay::Client::Connect(options);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  std::unique_ptr<FlakyAdmin> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<fig_webhook_relay::Client> client_;
};

TEST_F(ClientTest, RetriesUnavailableForReadsAndSendsTheToken) {
  Start(/*failures=*/2);
  v1::GetClientRequest req;
  req.set_id("c1");
  auto got = client_->GetClient(req);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->id(), "c1");
  EXPECT_EQ(service_->get_calls_.load(), 3);
  EXPECT_EQ(service_->authorization, "Bearer t0ken");
}

TEST_F(ClientTest, NeverRetriesCallsThatChangeThings) {
  Start(/*failures=*/0);
  auto created = client_->CreateClient(v1::CreateClientRequest());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(created.status().message(), "try again");
  EXPECT_EQ(service_->create_calls_.load(), 1);
}

TEST(ClientConnectTest, RejectsHalfAClientCertificate) {
  fig_webhook_relay::ConnectOptions options;
  options.tls = true;
  options.client_cert_pem = "cert";
  EXPECT_EQ(fig_webhook_relay::Client::Connect(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.target = "";
  EXPECT_THAT(fig_webhook_relay::Client::Connect(options).status().message(),
              ::testing::HasSubstr("target: required"));
}

}  // namespace
}  // namespace relay::testing
