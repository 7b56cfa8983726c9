#include "server/store/sqlite_store.h"

#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/core/status_macros.h"

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

constexpr char kClientColumns[] =
    "c.id, c.name, c.base_uri, c.send_authorization_header, c.sealed_secret, "
    "c.sealed_previous_secret, c.previous_secret_expire_us, c.create_us, "
    "c.update_us, (SELECT COUNT(*) FROM web_hooks w WHERE w.client_id = c.id)";

StoredClient ReadClient(const sqlite::Stmt& s) {
  StoredClient out;
  v1::WebHookClient& c = out.client;
  c.set_id(s.Text(0));
  c.set_name(s.Text(1));
  c.set_base_uri(s.Text(2));
  c.set_send_authorization_header(s.Int(3) != 0);
  out.sealed_secret = s.Text(4);
  out.sealed_previous_secret = s.Text(5);
  if (!s.IsNull(6)) {
    *c.mutable_previous_secret_expire_time() = FromMicros(s.Int(6));
  }
  *c.mutable_create_time() = FromMicros(s.Int(7));
  *c.mutable_update_time() = FromMicros(s.Int(8));
  c.set_web_hook_count(static_cast<int>(s.Int(9)));
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
    if (replace) {
      RETURN_IF_ERROR(
          db_.Exec("CREATE TEMP TABLE IF NOT EXISTS sync_keep "
                   "(name TEXT PRIMARY KEY); DELETE FROM sync_keep"));
    }
    ASSIGN_OR_RETURN(sqlite::Stmt upsert,
                     db_.Prepare("INSERT OR REPLACE INTO setting_clients "
                                 "VALUES (?, ?, ?)"));
    ASSIGN_OR_RETURN(
        sqlite::Stmt keep,
        db_.Prepare(replace ? "INSERT INTO sync_keep VALUES (?)" : "SELECT ?"));
    for (const v1::SettingClient& c : clients) {
      v1::SettingClient settings;
      *settings.mutable_settings() = c.settings();
      upsert.Bind(1, c.name()).BindBlob(2, settings.SerializeAsString());
      upsert.Bind(3, Micros(c.update_time()));
      RETURN_IF_ERROR(upsert.Run());
      upsert.Reset();
      RETURN_IF_ERROR(keep.Bind(1, c.name()).Run());
      keep.Reset();
      ++result.written;
    }
    if (replace) {
      RETURN_IF_ERROR(
          db_.Exec("DELETE FROM setting_clients WHERE name NOT IN "
                   "(SELECT name FROM sync_keep)"));
      result.removed = db_.Changes();
    }
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
