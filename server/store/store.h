// The relay's storage, as core and delivery see it. Implemented by
// SqliteStore (embedded, the default); a PostgreSQL store implements the same
// interface. No SQL leaves the implementations.
#ifndef SERVER_STORE_STORE_H_
#define SERVER_STORE_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/events.pb.h"
#include "fig/webhooks/v1/resources.pb.h"
#include "server/core/session_tracker.h"

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

// One delivery to create with its event.
struct NewDelivery {
  std::string id;
  std::string web_hook_id;
  std::string client_id;
  fig::webhooks::v1::WebHookType type =
      fig::webhooks::v1::WEB_HOOK_TYPE_UNSPECIFIED;
  // The JSON body, fixed now.
  std::string payload;
};

// One published event with what routing made of it.
struct NewEvent {
  std::string id;
  fig::webhooks::v1::Event event;
  // "" for none.
  std::string idempotency_key;
  std::vector<NewDelivery> deliveries;
  // For registration events: the client's settings for the catalog.
  std::optional<fig::webhooks::v1::SettingClient> catalog_update;
};

struct PublishedEvent {
  std::string event_id;
  int delivery_count = 0;
  bool duplicate = false;
};

// A delivery claimed for sending, with what sending it needs.
struct DueDelivery {
  std::string id;
  fig::webhooks::v1::WebHookType type =
      fig::webhooks::v1::WEB_HOOK_TYPE_UNSPECIFIED;
  std::string payload;
  // Attempts so far, all of them / automatic ones only.
  int attempt_count = 0;
  int automatic_attempts = 0;
  // This attempt was asked for by RedeliverDelivery.
  bool manual = false;
  // Unset when the client was deleted.
  std::optional<StoredClient> client;
};

// The outcome of one attempt and where it leaves the delivery.
struct AttemptRecord {
  std::string delivery_id;
  fig::webhooks::v1::DeliveryAttempt attempt;
  std::string url;
  std::vector<fig::webhooks::v1::Header> request_headers;
  fig::webhooks::v1::DeliveryState state =
      fig::webhooks::v1::DELIVERY_STATE_PENDING;
  // For PENDING: when to try again.
  absl::Time next_attempt_time;
};

struct ClaimRequest {
  absl::Time now;
  absl::Time lease_until;
  int limit = 0;
  // Clients skipped entirely: their bound on requests in flight is reached.
  std::vector<std::string> busy_clients;
  // Asked of each candidate; false skips it (one in flight already, or a
  // client that reached its bound within this claim).
  std::function<bool(const std::string& delivery_id,
                     const std::string& client_id)>
      admit = [](const std::string&, const std::string&) { return true; };
};

struct Claim {
  std::vector<DueDelivery> deliveries;
  // The earliest due time of the pending deliveries left, busy clients'
  // aside (InfiniteFuture when none).
  absl::Time next_due = absl::InfiniteFuture();
};

struct DeliveryFilter {
  std::string client_id;    // "" for any
  std::string web_hook_id;  // "" for any
  std::string event_id;     // "" for any
  fig::webhooks::v1::WebHookType type =
      fig::webhooks::v1::WEB_HOOK_TYPE_UNSPECIFIED;
  fig::webhooks::v1::DeliveryState state =
      fig::webhooks::v1::DELIVERY_STATE_UNSPECIFIED;
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

  // Events and deliveries.
  // Stores the events, their deliveries (PENDING, due at `now`), catalog
  // updates and run-session writes in one transaction. An idempotency key
  // seen within `window` before `now` (in this call or an earlier one) makes
  // that event a duplicate: nothing of it is stored and the first event's id
  // is returned.
  virtual absl::StatusOr<std::vector<PublishedEvent>> InsertEvents(
      const std::vector<NewEvent>& events,
      const std::vector<SessionWrite>& sessions, absl::Time now,
      absl::Duration window) = 0;
  // Every stored run session.
  virtual absl::StatusOr<std::vector<SessionRecord>> LoadSessions() = 0;
  // Leases up to `limit` PENDING deliveries due at `now` and not leased,
  // oldest due first, until `lease_until`; see ClaimRequest for what is
  // skipped.
  virtual absl::StatusOr<Claim> ClaimDue(const ClaimRequest& request) = 0;
  // Logs the attempts and moves their deliveries on (releasing the leases),
  // in one transaction.
  virtual absl::Status RecordAttempts(
      const std::vector<AttemptRecord>& records) = 0;
  // Releases every lease; for a store only this process uses, at start-up.
  virtual absl::Status ReleaseLeases() = 0;
  // Newest first, without headers and attempts.
  virtual absl::StatusOr<Page<fig::webhooks::v1::Delivery>> ListDeliveries(
      const DeliveryFilter& filter, const PageRequest& page) = 0;
  // With headers and attempts. NotFound.
  virtual absl::StatusOr<fig::webhooks::v1::Delivery> GetDelivery(
      absl::string_view id) = 0;
  // Makes the delivery PENDING and due at `now`; its next attempt is manual.
  // NotFound.
  virtual absl::StatusOr<fig::webhooks::v1::Delivery> Redeliver(
      absl::string_view id, absl::Time now) = 0;
};

}  // namespace relay

#endif  // SERVER_STORE_STORE_H_
