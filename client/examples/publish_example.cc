// Publishes one SettingValueChanged event and prints what the relay made of
// it.   publish_example [host:port]
#include <cstdio>

#include "fig_webhook_relay/client.h"

int main(int argc, char** argv) {
  fig_webhook_relay::ConnectOptions options;
  if (argc > 1) options.target = argv[1];
  auto relay = fig_webhook_relay::Client::Connect(options);
  if (!relay.ok()) {
    std::fprintf(stderr, "%s\n", relay.status().ToString().c_str());
    return 1;
  }
  fig::webhooks::v1::PublishRequest req;
  auto* event = req.mutable_event()->mutable_setting_value_changed();
  event->set_client_name("OrderSvc");
  event->add_updated_settings("DbConn");
  event->set_change_message("rotated the password");
  req.set_idempotency_key("example-change-1");
  auto resp = (*relay)->Publish(req);
  if (!resp.ok()) {
    std::fprintf(stderr, "publish failed: %s\n",
                 resp.status().ToString().c_str());
    return 1;
  }
  std::printf("event %s: %d deliveries%s\n", resp->event_id().c_str(),
              resp->delivery_count(),
              resp->duplicate() ? " (a duplicate)" : "");
  return 0;
}
