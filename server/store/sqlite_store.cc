#include "server/store/sqlite_store.h"

#include <limits>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "server/core/status_macros.h"
#include "server/core/web_hook_type.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;
using ::google::protobuf::util::TimeUtil;

namespace {

// Numbered migrations: entry i takes the schema from version i to i + 1.
// Append only; never edit one that has shipped.
const char* const kMigrations[] = {
    // 1: clients, web hooks, the setting-client catalog.
    R"sql(
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  base_uri TEXT NOT NULL,
  send_authorization_header INTEGER NOT NULL,
  sealed_secret BLOB NOT NULL,
  sealed_previous_secret BLOB,
  previous_secret_expire_us INTEGER,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE TABLE web_hooks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES clients(id),
  type INTEGER NOT NULL,
  client_name_regex TEXT NOT NULL,
  setting_name_regex TEXT NOT NULL,
  min_sessions INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX web_hooks_by_client ON web_hooks(client_id);
CREATE TABLE setting_clients (
  name TEXT PRIMARY KEY,
  settings BLOB NOT NULL,
  update_us INTEGER NOT NULL
);
)sql",
    // 2: events, their deliveries and every attempt; idempotency keys.
    R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type INTEGER NOT NULL,
  body BLOB NOT NULL,
  create_us INTEGER NOT NULL
);
CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  create_us INTEGER NOT NULL
);
CREATE TABLE deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  web_hook_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  type INTEGER NOT NULL,
  state INTEGER NOT NULL,
  payload TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  request_headers BLOB,
  attempt_count INTEGER NOT NULL DEFAULT 0,
  automatic_attempts INTEGER NOT NULL DEFAULT 0,
  manual_next INTEGER NOT NULL DEFAULT 0,
  next_attempt_us INTEGER,
  lease_until_us INTEGER,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_us) WHERE state = 1;
CREATE INDEX deliveries_by_client ON deliveries(client_id, seq);
CREATE INDEX deliveries_by_web_hook ON deliveries(web_hook_id, seq);
CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  time_us INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  error TEXT NOT NULL,
  response_body TEXT NOT NULL,
  manual INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, number)
);
)sql",
    // 3: live run sessions, so a restart reports no spurious connects.
    R"sql(
CREATE TABLE run_sessions (
  id TEXT PRIMARY KEY,
  last_poll BLOB NOT NULL,
  first_seen_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL,
  leak_reported INTEGER NOT NULL
);
)sql",
    // 4: what became of one event.
    R"sql(
CREATE INDEX deliveries_by_event ON deliveries(event_id);
)sql",
};

constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

google::protobuf::Timestamp FromMicros(int64_t us) {
  return TimeUtil::MicrosecondsToTimestamp(us);
}

absl::Status NotFound(absl::string_view what, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
}

// Sort keys of integer sequences travel as decimal text.
absl::StatusOr<int64_t> SeqAfter(const std::string& after) {
  if (after.empty()) return 0;
  int64_t seq;
  if (!absl::SimpleAtoi(after, &seq)) {
    return absl::InvalidArgumentError("page_token: not a token of this list");
  }
  return seq;
}

#define RELAY_CLIENT_COLUMNS                                                 \
  "c.id, c.name, c.base_uri, c.send_authorization_header, c.sealed_secret, " \
  "c.sealed_previous_secret, c.previous_secret_expire_us, c.create_us, "     \
  "c.update_us, "
constexpr char kClientColumns[] = RELAY_CLIENT_COLUMNS
    "(SELECT COUNT(*) FROM web_hooks w WHERE w.client_id = c.id)";
// For sending, which needs no web hook count.
constexpr char kClientColumnsToSend[] = RELAY_CLIENT_COLUMNS "0";
#undef RELAY_CLIENT_COLUMNS

// The client columns start at column `i`.
StoredClient ReadClient(const sqlite::Stmt& s, int i = 0) {
  StoredClient out;
  v1::WebHookClient& c = out.client;
  c.set_id(s.Text(i + 0));
  c.set_name(s.Text(i + 1));
  c.set_base_uri(s.Text(i + 2));
  c.set_send_authorization_header(s.Int(i + 3) != 0);
  out.sealed_secret = s.Text(i + 4);
  out.sealed_previous_secret = s.Text(i + 5);
  if (!s.IsNull(i + 6)) {
    *c.mutable_previous_secret_expire_time() = FromMicros(s.Int(i + 6));
  }
  *c.mutable_create_time() = FromMicros(s.Int(i + 7));
  *c.mutable_update_time() = FromMicros(s.Int(i + 8));
  c.set_web_hook_count(static_cast<int>(s.Int(i + 9)));
  return out;
}

constexpr char kWebHookColumns[] =
    "id, client_id, type, client_name_regex, setting_name_regex, "
    "min_sessions, create_us, update_us, seq";

v1::WebHook ReadWebHook(const sqlite::Stmt& s) {
  v1::WebHook h;
  h.set_id(s.Text(0));
  h.set_client_id(s.Text(1));
  h.set_type(static_cast<v1::WebHookType>(s.Int(2)));
  h.set_client_name_regex(s.Text(3));
  h.set_setting_name_regex(s.Text(4));
  h.set_min_sessions(static_cast<int>(s.Int(5)));
  *h.mutable_create_time() = FromMicros(s.Int(6));
  *h.mutable_update_time() = FromMicros(s.Int(7));
  return h;
}

absl::StatusOr<v1::SettingClient> ReadSettingClient(const sqlite::Stmt& s) {
  v1::SettingClient c;
  if (!c.ParseFromString(s.Text(1))) {
    return absl::DataLossError(absl::StrCat("setting client ", s.Text(0),
                                            ": stored settings corrupt"));
  }
  c.set_name(s.Text(0));
  *c.mutable_update_time() = FromMicros(s.Int(2));
  return c;
}

constexpr char kDeliveryColumns[] =
    "id, event_id, web_hook_id, client_id, type, url, state, payload, "
    "attempt_count, next_attempt_us, create_us, update_us, seq, "
    "request_headers";

v1::Delivery ReadDelivery(const sqlite::Stmt& s) {
  v1::Delivery d;
  d.set_id(s.Text(0));
  d.set_event_id(s.Text(1));
  d.set_web_hook_id(s.Text(2));
  d.set_client_id(s.Text(3));
  d.set_type(static_cast<v1::WebHookType>(s.Int(4)));
  d.set_url(s.Text(5));
  d.set_state(static_cast<v1::DeliveryState>(s.Int(6)));
  d.set_payload(s.Text(7));
  d.set_attempt_count(static_cast<int>(s.Int(8)));
  if (d.state() == v1::DELIVERY_STATE_PENDING && !s.IsNull(9)) {
    *d.mutable_next_attempt_time() = FromMicros(s.Int(9));
  }
  *d.mutable_create_time() = FromMicros(s.Int(10));
  *d.mutable_update_time() = FromMicros(s.Int(11));
  return d;
}

absl::Status UpsertSettingClient(sqlite::Stmt& upsert,
                                 const v1::SettingClient& c) {
  v1::SettingClient settings;
  *settings.mutable_settings() = c.settings();
  upsert.Bind(1, c.name()).BindBlob(2, settings.SerializeAsString());
  upsert.Bind(3, Micros(c.update_time()));
  absl::Status status = upsert.Run();
  upsert.Reset();
  return status;
}

constexpr char kUpsertSettingClient[] =
    "INSERT OR REPLACE INTO setting_clients VALUES (?, ?, ?)";

}  // namespace

int SqliteStore::SchemaVersion() { return kSchemaVersion; }

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path) {
  ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Db::Open(path));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  absl::MutexLock l(&store->mu_);
  RETURN_IF_ERROR(store->Migrate());
  return store;
}

absl::Status SqliteStore::Migrate() {
  return db_.Transaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(sqlite::Stmt s, db_.Prepare("PRAGMA user_version"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    int version = row ? static_cast<int>(s.Int(0)) : 0;
    if (version > kSchemaVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database schema version ", version, " is newer than this relay's (",
          kSchemaVersion, "): upgrade the relay"));
    }
    for (int v = version; v < kSchemaVersion; ++v) {
      absl::Status status = db_.Exec(kMigrations[v]);
      if (!status.ok()) {
        return absl::FailedPreconditionError(
            absl::StrCat("migration ", v + 1, " failed: ", status.message()));
      }
    }
    return db_.Exec(absl::StrCat("PRAGMA user_version = ", kSchemaVersion));
  });
}

absl::Status SqliteStore::CreateClient(const StoredClient& stored) {
  const v1::WebHookClient& c = stored.client;
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare("INSERT INTO clients VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, c.id()).Bind(2, c.name()).Bind(3, c.base_uri());
  s.Bind(4, int64_t{c.send_authorization_header()});
  s.BindBlob(5, stored.sealed_secret).BindNull(6).BindNull(7);
  s.Bind(8, Micros(c.create_time())).Bind(9, Micros(c.update_time()));
  absl::Status status = s.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("name: a client named \"", c.name(), "\" already exists"));
  }
  return status;
}

absl::StatusOr<StoredClient> SqliteStore::GetClient(absl::string_view id) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare(absl::StrCat("SELECT ", kClientColumns,
                                            " FROM clients c WHERE c.id = ?")));
  s.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("client", id);
  return ReadClient(s);
}

absl::StatusOr<Page<StoredClient>> SqliteStore::ListClients(
    const PageRequest& page) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare(absl::StrCat("SELECT ", kClientColumns,
                                            " FROM clients c WHERE c.name > ? "
                                            "ORDER BY c.name LIMIT ?")));
  s.Bind(1, page.after).Bind(2, int64_t{page.limit} + 1);
  Page<StoredClient> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (static_cast<int>(out.items.size()) == page.limit) {
      out.next_after = out.items.back().client.name();
      break;
    }
    out.items.push_back(ReadClient(s));
  }
  return out;
}

absl::Status SqliteStore::UpdateClient(const StoredClient& stored) {
  const v1::WebHookClient& c = stored.client;
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare("UPDATE clients SET name = ?, base_uri = ?, "
                  "send_authorization_header = ?, sealed_secret = ?, "
                  "sealed_previous_secret = ?, "
                  "previous_secret_expire_us = ?, update_us = ? "
                  "WHERE id = ?"));
  s.Bind(1, c.name()).Bind(2, c.base_uri());
  s.Bind(3, int64_t{c.send_authorization_header()});
  s.BindBlob(4, stored.sealed_secret);
  if (stored.sealed_previous_secret.empty()) {
    s.BindNull(5).BindNull(6);
  } else {
    s.BindBlob(5, stored.sealed_previous_secret);
    s.Bind(6, Micros(c.previous_secret_expire_time()));
  }
  s.Bind(7, Micros(c.update_time())).Bind(8, c.id());
  absl::Status status = s.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("name: a client named \"", c.name(), "\" already exists"));
  }
  RETURN_IF_ERROR(status);
  if (db_.Changes() == 0) return NotFound("client", c.id());
  return absl::OkStatus();
}

absl::Status SqliteStore::DeleteClient(absl::string_view id) {
  absl::MutexLock l(&mu_);
  return db_.Transaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        sqlite::Stmt count,
        db_.Prepare("SELECT COUNT(*) FROM web_hooks WHERE client_id = ?"));
    count.Bind(1, id);
    RETURN_IF_ERROR(count.Step().status());
    if (count.Int(0) > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("Cannot delete client as it has active web hooks (",
                       count.Int(0), "); delete them first"));
    }
    ASSIGN_OR_RETURN(sqlite::Stmt s,
                     db_.Prepare("DELETE FROM clients WHERE id = ?"));
    RETURN_IF_ERROR(s.Bind(1, id).Run());
    if (db_.Changes() == 0) return NotFound("client", id);
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::CreateWebHook(const v1::WebHook& h) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare(
          "INSERT INTO web_hooks (id, client_id, type, client_name_regex, "
          "setting_name_regex, min_sessions, create_us, update_us) "
          "SELECT ?,?,?,?,?,?,?,? WHERE EXISTS "
          "(SELECT 1 FROM clients WHERE id = ?2)"));
  s.Bind(1, h.id()).Bind(2, h.client_id()).Bind(3, int64_t{h.type()});
  s.Bind(4, h.client_name_regex()).Bind(5, h.setting_name_regex());
  s.Bind(6, int64_t{h.min_sessions()});
  s.Bind(7, Micros(h.create_time())).Bind(8, Micros(h.update_time()));
  RETURN_IF_ERROR(s.Run());
  if (db_.Changes() == 0) {
    return absl::NotFoundError(
        absl::StrCat("client_id: client ", h.client_id(), " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::WebHook> SqliteStore::GetWebHook(absl::string_view id) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare(absl::StrCat("SELECT ", kWebHookColumns,
                                            " FROM web_hooks WHERE id = ?")));
  s.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("web hook", id);
  return ReadWebHook(s);
}

absl::StatusOr<std::vector<v1::WebHook>> SqliteStore::QueryWebHooks(
    const WebHookFilterSpec& filter, int64_t after_seq, int limit,
    std::vector<int64_t>* seqs) {
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare(absl::StrCat(
          "SELECT ", kWebHookColumns,
          " FROM web_hooks WHERE seq > ? AND (?2 = '' OR client_id = ?2) "
          "AND (?3 = 0 OR type = ?3) ORDER BY seq LIMIT ?")));
  s.Bind(1, after_seq).Bind(2, filter.client_id).Bind(3, int64_t{filter.type});
  s.Bind(4, int64_t{limit});
  std::vector<v1::WebHook> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadWebHook(s));
    if (seqs != nullptr) seqs->push_back(s.Int(8));
  }
  return out;
}

absl::StatusOr<Page<v1::WebHook>> SqliteStore::ListWebHooks(
    const WebHookFilterSpec& filter, const PageRequest& page) {
  ASSIGN_OR_RETURN(int64_t after, SeqAfter(page.after));
  absl::MutexLock l(&mu_);
  std::vector<int64_t> seqs;
  Page<v1::WebHook> out;
  ASSIGN_OR_RETURN(out.items,
                   QueryWebHooks(filter, after, page.limit + 1, &seqs));
  if (static_cast<int>(out.items.size()) > page.limit) {
    out.items.pop_back();
    out.next_after = absl::StrCat(seqs[page.limit - 1]);
  }
  return out;
}

absl::StatusOr<std::vector<v1::WebHook>> SqliteStore::AllWebHooks() {
  absl::MutexLock l(&mu_);
  return QueryWebHooks(WebHookFilterSpec(), 0, std::numeric_limits<int>::max(),
                       nullptr);
}

absl::Status SqliteStore::UpdateWebHook(const v1::WebHook& h) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare("UPDATE web_hooks SET type = ?, "
                               "client_name_regex = ?, setting_name_regex = ?, "
                               "min_sessions = ?, update_us = ? WHERE id = ?"));
  s.Bind(1, int64_t{h.type()}).Bind(2, h.client_name_regex());
  s.Bind(3, h.setting_name_regex()).Bind(4, int64_t{h.min_sessions()});
  s.Bind(5, Micros(h.update_time())).Bind(6, h.id());
  RETURN_IF_ERROR(s.Run());
  if (db_.Changes() == 0) return NotFound("web hook", h.id());
  return absl::OkStatus();
}

absl::Status SqliteStore::DeleteWebHook(absl::string_view id) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare("DELETE FROM web_hooks WHERE id = ?"));
  RETURN_IF_ERROR(s.Bind(1, id).Run());
  if (db_.Changes() == 0) return NotFound("web hook", id);
  return absl::OkStatus();
}

absl::StatusOr<SyncResult> SqliteStore::SyncSettingClients(
    const std::vector<v1::SettingClient>& clients, bool replace) {
  absl::MutexLock l(&mu_);
  SyncResult result;
  RETURN_IF_ERROR(db_.Transaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(sqlite::Stmt upsert, db_.Prepare(kUpsertSettingClient));
    absl::flat_hash_set<std::string> given;
    for (const v1::SettingClient& c : clients) {
      RETURN_IF_ERROR(UpsertSettingClient(upsert, c));
      given.insert(c.name());
      ++result.written;
    }
    if (!replace) return absl::OkStatus();
    ASSIGN_OR_RETURN(sqlite::Stmt names,
                     db_.Prepare("SELECT name FROM setting_clients"));
    std::vector<std::string> stale;
    while (true) {
      ASSIGN_OR_RETURN(bool row, names.Step());
      if (!row) break;
      if (!given.contains(names.Text(0))) stale.push_back(names.Text(0));
    }
    ASSIGN_OR_RETURN(sqlite::Stmt remove,
                     db_.Prepare("DELETE FROM setting_clients WHERE name = ?"));
    for (const std::string& name : stale) {
      RETURN_IF_ERROR(remove.Bind(1, name).Run());
      remove.Reset();
    }
    result.removed = static_cast<int>(stale.size());
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<v1::SettingClient>> SqliteStore::ListSettingClients(
    const PageRequest& page) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare("SELECT name, settings, update_us FROM "
                               "setting_clients WHERE name > ? "
                               "ORDER BY name LIMIT ?"));
  s.Bind(1, page.after).Bind(2, int64_t{page.limit} + 1);
  Page<v1::SettingClient> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (static_cast<int>(out.items.size()) == page.limit) {
      out.next_after = out.items.back().name();
      break;
    }
    ASSIGN_OR_RETURN(out.items.emplace_back(), ReadSettingClient(s));
  }
  return out;
}

absl::StatusOr<std::vector<v1::SettingClient>>
SqliteStore::AllSettingClients() {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare("SELECT name, settings, update_us FROM "
                               "setting_clients ORDER BY name"));
  std::vector<v1::SettingClient> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(out.emplace_back(), ReadSettingClient(s));
  }
  return out;
}

}  // namespace relay

namespace relay {

absl::StatusOr<std::vector<PublishedEvent>> SqliteStore::InsertEvents(
    const std::vector<NewEvent>& events,
    const std::vector<SessionWrite>& sessions, absl::Time now,
    absl::Duration window) {
  const int64_t now_us = absl::ToUnixMicros(now);
  std::vector<PublishedEvent> out;
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(db_.Transaction([&]() -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(sqlite::Stmt find_key,
                     db_.Prepare("SELECT event_id FROM idempotency_keys "
                                 "WHERE key = ? AND create_us > ?"));
    ASSIGN_OR_RETURN(sqlite::Stmt put_key,
                     db_.Prepare("INSERT OR REPLACE INTO idempotency_keys "
                                 "VALUES (?, ?, ?)"));
    ASSIGN_OR_RETURN(
        sqlite::Stmt put_event,
        db_.Prepare("INSERT INTO events (id, type, body, create_us) "
                    "VALUES (?, ?, ?, ?)"));
    ASSIGN_OR_RETURN(
        sqlite::Stmt put_delivery,
        db_.Prepare(
            "INSERT INTO deliveries (id, event_id, web_hook_id, "
            "client_id, type, state, payload, next_attempt_us, "
            "create_us, update_us) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)"));
    ASSIGN_OR_RETURN(sqlite::Stmt upsert, db_.Prepare(kUpsertSettingClient));
    for (const NewEvent& e : events) {
      PublishedEvent& result = out.emplace_back();
      if (!e.idempotency_key.empty()) {
        find_key.Bind(1, e.idempotency_key)
            .Bind(2, now_us - absl::ToInt64Microseconds(window));
        ASSIGN_OR_RETURN(bool seen, find_key.Step());
        std::string first = seen ? find_key.Text(0) : "";
        find_key.Reset();
        if (seen) {
          result.event_id = first;
          result.duplicate = true;
          continue;
        }
        put_key.Bind(1, e.idempotency_key).Bind(2, e.id).Bind(3, now_us);
        RETURN_IF_ERROR(put_key.Run());
        put_key.Reset();
      }
      put_event.Bind(1, e.id).Bind(2, int64_t{TypeOf(e.event)});
      put_event.BindBlob(3, e.event.SerializeAsString()).Bind(4, now_us);
      RETURN_IF_ERROR(put_event.Run());
      put_event.Reset();
      for (const NewDelivery& d : e.deliveries) {
        put_delivery.Bind(1, d.id).Bind(2, e.id).Bind(3, d.web_hook_id);
        put_delivery.Bind(4, d.client_id).Bind(5, int64_t{d.type});
        put_delivery.Bind(6, d.payload)
            .Bind(7, now_us)
            .Bind(8, now_us)
            .Bind(9, now_us);
        RETURN_IF_ERROR(put_delivery.Run());
        put_delivery.Reset();
      }
      if (e.catalog_update.has_value()) {
        RETURN_IF_ERROR(UpsertSettingClient(upsert, *e.catalog_update));
      }
      result.event_id = e.id;
      result.delivery_count = static_cast<int>(e.deliveries.size());
    }
    ASSIGN_OR_RETURN(sqlite::Stmt put_session,
                     db_.Prepare("INSERT OR REPLACE INTO run_sessions "
                                 "VALUES (?, ?, ?, ?, ?)"));
    ASSIGN_OR_RETURN(sqlite::Stmt drop_session,
                     db_.Prepare("DELETE FROM run_sessions WHERE id = ?"));
    for (const SessionWrite& w : sessions) {
      if (!w.record.has_value()) {
        RETURN_IF_ERROR(drop_session.Bind(1, w.id).Run());
        drop_session.Reset();
        continue;
      }
      const SessionRecord& r = *w.record;
      put_session.Bind(1, r.id).BindBlob(2, r.last_poll.SerializeAsString());
      put_session.Bind(3, absl::ToUnixMicros(r.first_seen));
      put_session.Bind(4, absl::ToUnixMicros(r.last_seen));
      put_session.Bind(5, int64_t{r.leak_reported});
      RETURN_IF_ERROR(put_session.Run());
      put_session.Reset();
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<SessionRecord>> SqliteStore::LoadSessions() {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare("SELECT id, last_poll, first_seen_us, last_seen_us, "
                  "leak_reported FROM run_sessions"));
  std::vector<SessionRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    SessionRecord& r = out.emplace_back();
    r.id = s.Text(0);
    if (!r.last_poll.ParseFromString(s.Text(1))) {
      return absl::DataLossError(
          absl::StrCat("run session ", r.id, ": corrupt"));
    }
    r.first_seen = absl::FromUnixMicros(s.Int(2));
    r.last_seen = absl::FromUnixMicros(s.Int(3));
    r.leak_reported = s.Int(4) != 0;
  }
  return out;
}

absl::StatusOr<Claim> SqliteStore::ClaimDue(const ClaimRequest& request) {
  const int64_t now_us = absl::ToUnixMicros(request.now);
  const std::string busy = nlohmann::json(request.busy_clients).dump();
  Claim out;
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(db_.Transaction(
      [&]() -> absl::Status {
        out = Claim();
        constexpr char kDue[] =
            "d.state = 1 AND (d.lease_until_us IS NULL OR d.lease_until_us <= "
            "?1) "
            "AND d.client_id NOT IN (SELECT value FROM json_each(?2))";
        // Candidates first (ids only, cheap), then the admitted ones whole.
        ASSIGN_OR_RETURN(sqlite::Stmt due,
                         db_.Prepare(absl::StrCat(
                             "SELECT d.id, d.client_id FROM deliveries d "
                             "WHERE d.next_attempt_us <= ?1 AND ",
                             kDue, " ORDER BY d.next_attempt_us LIMIT ?3")));
        // Look past the first `limit`: a client that reaches its bound within
        // this claim must not hide the others behind it.
        due.Bind(1, now_us).Bind(2, busy).Bind(3, int64_t{request.limit} * 4);
        ASSIGN_OR_RETURN(
            sqlite::Stmt load,
            db_.Prepare(absl::StrCat(
                "SELECT d.type, d.payload, d.attempt_count, "
                "d.automatic_attempts, "
                "d.manual_next, ",
                kClientColumnsToSend,
                " FROM deliveries d LEFT JOIN clients c ON c.id = d.client_id "
                "WHERE d.id = ?")));
        ASSIGN_OR_RETURN(sqlite::Stmt lease,
                         db_.Prepare("UPDATE deliveries SET lease_until_us = ? "
                                     "WHERE id = ?"));
        while (static_cast<int>(out.deliveries.size()) < request.limit) {
          ASSIGN_OR_RETURN(bool row, due.Step());
          if (!row) break;
          std::string id = due.Text(0);
          if (!request.admit(id, due.Text(1))) continue;
          load.Bind(1, id);
          ASSIGN_OR_RETURN(bool found, load.Step());
          if (found) {
            DueDelivery& d = out.deliveries.emplace_back();
            d.id = std::move(id);
            d.type = static_cast<v1::WebHookType>(load.Int(0));
            d.payload = load.Text(1);
            d.attempt_count = static_cast<int>(load.Int(2));
            d.automatic_attempts = static_cast<int>(load.Int(3));
            d.manual = load.Int(4) != 0;
            if (!load.IsNull(5)) d.client = ReadClient(load, 5);
          }
          load.Reset();
        }
        for (const DueDelivery& d : out.deliveries) {
          lease.Bind(1, absl::ToUnixMicros(request.lease_until)).Bind(2, d.id);
          RETURN_IF_ERROR(lease.Run());
          lease.Reset();
        }
        ASSIGN_OR_RETURN(
            sqlite::Stmt next,
            db_.Prepare(absl::StrCat(
                "SELECT MIN(d.next_attempt_us) FROM deliveries d WHERE ",
                kDue)));
        next.Bind(1, now_us).Bind(2, busy);
        RETURN_IF_ERROR(next.Step().status());
        if (!next.IsNull(0)) out.next_due = absl::FromUnixMicros(next.Int(0));
        return absl::OkStatus();
      },
      sqlite::Db::Durability::kProcessCrash));
  return out;
}

absl::Status SqliteStore::RecordAttempts(
    const std::vector<AttemptRecord>& records) {
  absl::MutexLock l(&mu_);
  return db_.Transaction(
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(sqlite::Stmt log,
                         db_.Prepare("INSERT OR REPLACE INTO delivery_attempts "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        ASSIGN_OR_RETURN(
            sqlite::Stmt move,
            db_.Prepare("UPDATE deliveries SET state = ?, url = ?, "
                        "request_headers = ?, attempt_count = ?, "
                        "automatic_attempts = automatic_attempts + ?, "
                        "manual_next = 0, next_attempt_us = ?, "
                        "lease_until_us = NULL, update_us = ? WHERE id = ?"));
        for (const AttemptRecord& r : records) {
          const v1::DeliveryAttempt& a = r.attempt;
          int64_t time_us = Micros(a.time());
          int64_t duration_us = TimeUtil::DurationToMicroseconds(a.duration());
          log.Bind(1, r.delivery_id)
              .Bind(2, int64_t{a.number()})
              .Bind(3, time_us);
          log.Bind(4, int64_t{a.http_status()}).Bind(5, duration_us);
          log.Bind(6, a.error())
              .Bind(7, a.response_body())
              .Bind(8, int64_t{a.manual()});
          RETURN_IF_ERROR(log.Run());
          log.Reset();

          v1::Delivery headers;
          for (const v1::Header& h : r.request_headers)
            *headers.add_request_headers() = h;
          move.Bind(1, int64_t{r.state}).Bind(2, r.url);
          move.BindBlob(3, headers.SerializeAsString())
              .Bind(4, int64_t{a.number()});
          move.Bind(5, int64_t{a.manual() ? 0 : 1});
          if (r.state == v1::DELIVERY_STATE_PENDING) {
            move.Bind(6, absl::ToUnixMicros(r.next_attempt_time));
          } else {
            move.BindNull(6);
          }
          move.Bind(7, time_us + duration_us).Bind(8, r.delivery_id);
          RETURN_IF_ERROR(move.Run());
          move.Reset();
        }
        return absl::OkStatus();
      },
      sqlite::Db::Durability::kProcessCrash);
}

absl::Status SqliteStore::ReleaseLeases() {
  absl::MutexLock l(&mu_);
  return db_.Exec(
      "UPDATE deliveries SET lease_until_us = NULL "
      "WHERE lease_until_us IS NOT NULL");
}

absl::StatusOr<Page<v1::Delivery>> SqliteStore::ListDeliveries(
    const DeliveryFilter& filter, const PageRequest& page) {
  ASSIGN_OR_RETURN(int64_t before, SeqAfter(page.after));
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare(absl::StrCat(
          "SELECT ", kDeliveryColumns,
          " FROM deliveries WHERE (?1 = 0 OR seq < ?1) "
          "AND (?2 = '' OR client_id = ?2) AND (?3 = '' OR web_hook_id = ?3) "
          "AND (?4 = 0 OR type = ?4) AND (?5 = 0 OR state = ?5) "
          "AND (?7 = '' OR event_id = ?7) ORDER BY seq DESC LIMIT ?6")));
  s.Bind(1, before).Bind(2, filter.client_id).Bind(3, filter.web_hook_id);
  s.Bind(4, int64_t{filter.type}).Bind(5, int64_t{filter.state});
  s.Bind(6, int64_t{page.limit} + 1).Bind(7, filter.event_id);
  Page<v1::Delivery> out;
  int64_t last_seq = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (static_cast<int>(out.items.size()) == page.limit) {
      out.next_after = absl::StrCat(last_seq);
      break;
    }
    out.items.push_back(ReadDelivery(s));
    last_seq = s.Int(12);
  }
  return out;
}

absl::StatusOr<v1::Delivery> SqliteStore::GetDelivery(absl::string_view id) {
  absl::MutexLock l(&mu_);
  return GetDeliveryLocked(id);
}

absl::StatusOr<v1::Delivery> SqliteStore::GetDeliveryLocked(
    absl::string_view id) {
  ASSIGN_OR_RETURN(sqlite::Stmt s,
                   db_.Prepare(absl::StrCat("SELECT ", kDeliveryColumns,
                                            " FROM deliveries WHERE id = ?")));
  s.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("delivery", id);
  v1::Delivery d = ReadDelivery(s);
  v1::Delivery headers;
  if (!headers.ParseFromString(s.Text(13))) {
    return absl::DataLossError(
        absl::StrCat("delivery ", id, ": headers corrupt"));
  }
  *d.mutable_request_headers() = headers.request_headers();

  ASSIGN_OR_RETURN(
      sqlite::Stmt a,
      db_.Prepare("SELECT number, time_us, http_status, duration_us, "
                  "error, response_body, manual FROM "
                  "delivery_attempts WHERE delivery_id = ? "
                  "ORDER BY number"));
  a.Bind(1, id);
  while (true) {
    ASSIGN_OR_RETURN(bool more, a.Step());
    if (!more) break;
    v1::DeliveryAttempt* attempt = d.add_attempts();
    attempt->set_number(static_cast<int>(a.Int(0)));
    *attempt->mutable_time() = FromMicros(a.Int(1));
    attempt->set_http_status(static_cast<int>(a.Int(2)));
    *attempt->mutable_duration() = TimeUtil::MicrosecondsToDuration(a.Int(3));
    attempt->set_error(a.Text(4));
    attempt->set_response_body(a.Text(5));
    attempt->set_manual(a.Int(6) != 0);
  }
  return d;
}

absl::StatusOr<v1::Delivery> SqliteStore::Redeliver(absl::string_view id,
                                                    absl::Time now) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Stmt s,
      db_.Prepare("UPDATE deliveries SET state = 1, manual_next = 1, "
                  "next_attempt_us = ?1, update_us = ?1 WHERE id = ?2"));
  s.Bind(1, absl::ToUnixMicros(now)).Bind(2, id);
  RETURN_IF_ERROR(s.Run());
  if (db_.Changes() == 0) return NotFound("delivery", id);
  return GetDeliveryLocked(id);
}

}  // namespace relay
