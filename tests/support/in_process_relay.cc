#include "tests/support/in_process_relay.h"

#include "gtest/gtest.h"

namespace relay::testing {

namespace v1 = ::fig::webhooks::v1;

InProcessRelay::InProcessRelay(RelayOptions options)
    : options_(std::move(options)) {
  options_.listen = "127.0.0.1:0";
  if (options_.data_dir == RelayOptions().data_dir) {
    options_.data_dir = dir_.File("data");
  }
  options_.clock = &clock;
  Start();
}

InProcessRelay::~InProcessRelay() {
  if (server_ != nullptr) server_->Shutdown();
}

void InProcessRelay::Start() {
  auto server = RelayServer::Start(options_);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  admin = v1::WebHookAdmin::NewStub(channel);
  ingest = v1::EventIngest::NewStub(channel);
  sessions = v1::RunSessions::NewStub(channel);
}

void InProcessRelay::Restart() {
  server_->Shutdown();
  server_.reset();
  Start();
}

}  // namespace relay::testing
