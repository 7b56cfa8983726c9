// Lets users spell Abseil flags with dashes (--data-dir), as the README does;
// Abseil itself wants underscores (--data_dir).
#ifndef SERVER_CORE_DASHED_FLAGS_H_
#define SERVER_CORE_DASHED_FLAGS_H_

#include <string>
#include <vector>

namespace relay {

// A copy of argv with "--foo-bar[=value]" spelled "--foo_bar[=value]"
// (values untouched), for absl::ParseCommandLine. argv itself is left as
// is, so ps shows what was typed. The strings live in `storage`.
inline std::vector<char*> UnderscoredArgs(int argc, char** argv,
                                          std::vector<std::string>* storage) {
  storage->assign(argv, argv + argc);
  std::vector<char*> out;
  for (std::string& arg : *storage) {
    if (arg.rfind("--", 0) == 0) {
      for (size_t i = 2; i < arg.size() && arg[i] != '='; ++i) {
        if (arg[i] == '-') arg[i] = '_';
      }
    }
    out.push_back(arg.data());
  }
  return out;
}

}  // namespace relay

#endif  // SERVER_CORE_DASHED_FLAGS_H_
