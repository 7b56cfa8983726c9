// Lets users spell Abseil flags with dashes (--data-dir), as the README does;
// Abseil itself wants underscores (--data_dir).
#ifndef SERVER_CORE_DASHED_FLAGS_H_
#define SERVER_CORE_DASHED_FLAGS_H_

namespace relay {

// Rewrites "--foo-bar[=value]" to "--foo_bar[=value]" in place; values are
// left alone. Call before absl::ParseCommandLine.
inline void DashesToUnderscores(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* p = argv[i];
    if (p[0] != '-' || p[1] != '-') continue;
    for (p += 2; *p != '\0' && *p != '='; ++p) {
      if (*p == '-') *p = '_';
    }
  }
}

}  // namespace relay

#endif  // SERVER_CORE_DASHED_FLAGS_H_
