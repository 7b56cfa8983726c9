// One-line operational log on stderr: "2026-12-03T16:00:00.123Z relay: ...".
// Never pass a secret.
#ifndef SERVER_CORE_LOG_H_
#define SERVER_CORE_LOG_H_

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace relay {

template <typename... Args>
void Log(const Args&... args) {
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   " relay: ", args..., "\n");
  std::fputs(line.c_str(), stderr);
}

}  // namespace relay

#endif  // SERVER_CORE_LOG_H_
