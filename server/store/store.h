// The relay's storage, as core and delivery see it. Implemented by
// SqliteStore (embedded, the default); a PostgreSQL store implements the same
// interface. No SQL leaves the implementations.
#ifndef SERVER_STORE_STORE_H_
#define SERVER_STORE_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/resources.pb.h"

namespace relay {

// A client as stored: its secrets sealed by SecretBox (never plain).
struct StoredClient {
  // id, name, base_uri, send_authorization_header, create_time, update_time,
  // previous_secret_expire_time; web_hook_count is filled on reads.
  fig::webhooks::v1::WebHookClient client;
  std::string sealed_secret;
  // Empty when there is no previous secret.
  std::string sealed_previous_secret;
};

// Keyset paging: `after` is the sort key of the last item of the previous
// page ("" for the first page).
struct PageRequest {
  int limit = 50;
  std::string after;
};

template <typename T>
struct Page {
  std::vector<T> items;
  // Sort key of the last item when more follow; "" on the last page.
  std::string next_after;
};

struct WebHookFilterSpec {
  std::string client_id;  // "" for any
  fig::webhooks::v1::WebHookType type =
      fig::webhooks::v1::WEB_HOOK_TYPE_UNSPECIFIED;
};

struct SyncResult {
  int written = 0;
  int removed = 0;
};

// Thread-safe: every method may be called from any thread. Each method is
// one transaction: it happens entirely or not at all.
class Store {
 public:
  virtual ~Store() = default;

  // Clients. Sorted by name.
  // AlreadyExists when the name is taken.
  virtual absl::Status CreateClient(const StoredClient& client) = 0;
  // NotFound.
  virtual absl::StatusOr<StoredClient> GetClient(absl::string_view id) = 0;
  virtual absl::StatusOr<Page<StoredClient>> ListClients(
      const PageRequest& page) = 0;
  // Writes every field of `client`. NotFound; AlreadyExists for a taken name.
  virtual absl::Status UpdateClient(const StoredClient& client) = 0;
  // NotFound; FailedPrecondition while web hooks reference the client.
  virtual absl::Status DeleteClient(absl::string_view id) = 0;

  // Web hooks. Sorted by creation.
  // NotFound when hook.client_id names no client.
  virtual absl::Status CreateWebHook(
      const fig::webhooks::v1::WebHook& hook) = 0;
  // NotFound.
  virtual absl::StatusOr<fig::webhooks::v1::WebHook> GetWebHook(
      absl::string_view id) = 0;
  virtual absl::StatusOr<Page<fig::webhooks::v1::WebHook>> ListWebHooks(
      const WebHookFilterSpec& filter, const PageRequest& page) = 0;
  // Every web hook, for the router.
  virtual absl::StatusOr<std::vector<fig::webhooks::v1::WebHook>>
  AllWebHooks() = 0;
  // Writes every field but client_id and create_time. NotFound.
  virtual absl::Status UpdateWebHook(
      const fig::webhooks::v1::WebHook& hook) = 0;
  // NotFound.
  virtual absl::Status DeleteWebHook(absl::string_view id) = 0;

  // The setting-client catalog. Sorted by name.
  // Writes each client (its settings replaced); with `replace`, removes the
  // clients not given.
  virtual absl::StatusOr<SyncResult> SyncSettingClients(
      const std::vector<fig::webhooks::v1::SettingClient>& clients,
      bool replace) = 0;
  virtual absl::StatusOr<Page<fig::webhooks::v1::SettingClient>>
  ListSettingClients(const PageRequest& page) = 0;
  virtual absl::StatusOr<std::vector<fig::webhooks::v1::SettingClient>>
  AllSettingClients() = 0;
};

}  // namespace relay

#endif  // SERVER_STORE_STORE_H_
