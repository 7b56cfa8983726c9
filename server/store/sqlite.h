// A thin RAII layer over the SQLite C API, with absl::Status errors.
#ifndef SERVER_STORE_SQLITE_H_
#define SERVER_STORE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relay::sqlite {

// A prepared statement. Not thread-safe; owned by one caller at a time.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Stmt(Stmt&& other) : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  // Parameters are numbered from 1. Text and blobs are copied.
  Stmt& Bind(int i, absl::string_view text);
  Stmt& Bind(int i, const char* text) {
    return Bind(i, absl::string_view(text));
  }
  Stmt& Bind(int i, int64_t value);
  Stmt& BindBlob(int i, absl::string_view blob);
  Stmt& BindNull(int i);

  // true: a row is ready; false: done. Errors: AlreadyExists for a UNIQUE
  // constraint, Unavailable for a busy database, Internal otherwise.
  absl::StatusOr<bool> Step();
  // Step() to the end, for statements that return no rows.
  absl::Status Run();
  // Ready to run again with new bindings.
  void Reset();

  // Columns are numbered from 0.
  std::string Text(int i) const;
  int64_t Int(int i) const;
  bool IsNull(int i) const;

 private:
  sqlite3_stmt* stmt_;
};

// One connection. Not thread-safe: the owner serialises calls.
class Db {
 public:
  // Opens (creating) the file at `path`, WAL, synchronous FULL (a commit
  // survives power loss), foreign keys on.
  static absl::StatusOr<Db> Open(const std::string& path);
  Db(Db&& other) : db_(other.db_) { other.db_ = nullptr; }
  Db& operator=(Db&&) = delete;
  ~Db() { sqlite3_close(db_); }

  absl::Status Exec(absl::string_view sql);
  absl::StatusOr<Stmt> Prepare(absl::string_view sql);
  // Number of rows the last INSERT, UPDATE or DELETE changed.
  int Changes() const { return sqlite3_changes(db_); }

  // How hard a commit holds. kFull (the connection's default) survives
  // power loss. kProcessCrash survives the process dying (WAL with
  // synchronous=NORMAL) but may lose the last commits to a power cut; for
  // writes the relay can redo, such as delivery leases and attempt logs,
  // where losing one means a web hook is sent again.
  enum class Durability { kFull, kProcessCrash };

  // Runs `fn` in BEGIN IMMEDIATE ... COMMIT, rolling back if it (or the
  // commit) fails.
  template <typename Fn>
  absl::Status Transaction(Fn fn, Durability durability = Durability::kFull) {
    const bool relaxed = durability == Durability::kProcessCrash;
    absl::Status status =
        relaxed ? Exec("PRAGMA synchronous=NORMAL") : absl::OkStatus();
    if (status.ok()) status = Exec("BEGIN IMMEDIATE");
    if (status.ok()) {
      status = fn();
      if (status.ok()) status = Exec("COMMIT");
      if (!status.ok()) Exec("ROLLBACK").IgnoreError();
    }
    if (relaxed) Exec("PRAGMA synchronous=FULL").IgnoreError();
    return status;
  }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Maps a SQLite result code to a status (the message names `what`).
absl::Status Error(sqlite3* db, int rc, absl::string_view what);

}  // namespace relay::sqlite

#endif  // SERVER_STORE_SQLITE_H_
