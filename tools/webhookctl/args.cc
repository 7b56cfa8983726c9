#include "tools/webhookctl/args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace webhookctl {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& words,
                                 const std::set<std::string>& known,
                                 const std::set<std::string>& switches) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (!absl::StartsWith(word, "--") || word == "--") {
      args.positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2), value;
    size_t eq = name.find('=');
    bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (known.count(name) == 0 && switches.count(name) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (switches.count(name) > 0) {
      args.flags_.emplace(name, inline_value ? value : "true");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= words.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
      value = words[++i];
    }
    args.flags_.emplace(name, value);
  }
  return args;
}

std::optional<std::string> Args::Get(const std::string& flag) const {
  auto it = flags_.find(flag);
  if (it == flags_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(const std::string& flag,
                        const std::string& fallback) const {
  return Get(flag).value_or(fallback);
}

std::vector<std::string> Args::All(const std::string& flag) const {
  std::vector<std::string> out;
  auto [begin, end] = flags_.equal_range(flag);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

}  // namespace webhookctl
