// The embedded default store: one SQLite file (WAL) in the data dir.
#ifndef SERVER_STORE_SQLITE_STORE_H_
#define SERVER_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "server/store/sqlite.h"
#include "server/store/store.h"

namespace relay {

// Thread-safe: one connection, one call at a time.
class SqliteStore : public Store {
 public:
  // Opens or creates `path` and applies the numbered migrations it lacks.
  // FailedPrecondition when the file is not a database of this relay or was
  // written by a newer relay.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path);

  // The schema version this binary writes.
  static int SchemaVersion();

  absl::Status CreateClient(const StoredClient& client) override;
  absl::StatusOr<StoredClient> GetClient(absl::string_view id) override;
  absl::StatusOr<Page<StoredClient>> ListClients(
      const PageRequest& page) override;
  absl::Status UpdateClient(const StoredClient& client) override;
  absl::Status DeleteClient(absl::string_view id) override;

  absl::Status CreateWebHook(const fig::webhooks::v1::WebHook& hook) override;
  absl::StatusOr<fig::webhooks::v1::WebHook> GetWebHook(
      absl::string_view id) override;
  absl::StatusOr<Page<fig::webhooks::v1::WebHook>> ListWebHooks(
      const WebHookFilterSpec& filter, const PageRequest& page) override;
  absl::StatusOr<std::vector<fig::webhooks::v1::WebHook>> AllWebHooks()
      override;
  absl::Status UpdateWebHook(const fig::webhooks::v1::WebHook& hook) override;
  absl::Status DeleteWebHook(absl::string_view id) override;

  absl::StatusOr<SyncResult> SyncSettingClients(
      const std::vector<fig::webhooks::v1::SettingClient>& clients,
      bool replace) override;
  absl::StatusOr<Page<fig::webhooks::v1::SettingClient>> ListSettingClients(
      const PageRequest& page) override;
  absl::StatusOr<std::vector<fig::webhooks::v1::SettingClient>>
  AllSettingClients() override;

  absl::StatusOr<std::vector<PublishedEvent>> InsertEvents(
      const std::vector<NewEvent>& events,
      const std::vector<SessionWrite>& sessions, absl::Time now,
      absl::Duration window) override;
  absl::StatusOr<std::vector<SessionRecord>> LoadSessions() override;
  absl::StatusOr<Claim> ClaimDue(const ClaimRequest& request) override;
  absl::Status RecordAttempts(
      const std::vector<AttemptRecord>& records) override;
  absl::Status ReleaseLeases() override;
  absl::StatusOr<Page<fig::webhooks::v1::Delivery>> ListDeliveries(
      const DeliveryFilter& filter, const PageRequest& page) override;
  absl::StatusOr<fig::webhooks::v1::Delivery> GetDelivery(
      absl::string_view id) override;
  absl::StatusOr<fig::webhooks::v1::Delivery> Redeliver(
      absl::string_view id, absl::Time now) override;

 private:
  explicit SqliteStore(sqlite::Db db) : db_(std::move(db)) {}
  absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<fig::webhooks::v1::WebHook>> QueryWebHooks(
      const WebHookFilterSpec& filter, int64_t after_seq, int limit,
      std::vector<int64_t>* seqs) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::StatusOr<fig::webhooks::v1::Delivery> GetDeliveryLocked(
      absl::string_view id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  sqlite::Db db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace relay

#endif  // SERVER_STORE_SQLITE_STORE_H_
