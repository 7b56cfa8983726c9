// RETURN_IF_ERROR and ASSIGN_OR_RETURN, which Debian 12's Abseil lacks.
#ifndef SERVER_CORE_STATUS_MACROS_H_
#define SERVER_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RELAY_CONCAT_INNER_(a, b) a##b
#define RELAY_CONCAT_(a, b) RELAY_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function unless it is OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::absl::Status relay_status_ = (expr);         \
    if (!relay_status_.ok()) return relay_status_; \
  } while (0)

// `lhs = value of expr`, or returns its status from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr)                                           \
  RELAY_ASSIGN_OR_RETURN_IMPL_(RELAY_CONCAT_(relay_statusor_, __LINE__), lhs, \
                               expr)

#define RELAY_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) return statusor.status();           \
  lhs = std::move(statusor).value()

#endif  // SERVER_CORE_STATUS_MACROS_H_
