// Command-line words for webhookctl: positionals and --flags.
#ifndef TOOLS_WEBHOOKCTL_ARGS_H_
#define TOOLS_WEBHOOKCTL_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace webhookctl {

// "--name=value" or "--name value" for flags that take a value; "--name"
// alone for switches. Repeated flags keep every value.
class Args {
 public:
  // `switches` are the flags that take no value. InvalidArgument for a flag
  // not in `known` or a value missing.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& words,
                                    const std::set<std::string>& known,
                                    const std::set<std::string>& switches);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(const std::string& flag) const { return flags_.count(flag) > 0; }
  std::optional<std::string> Get(const std::string& flag) const;
  std::string GetOr(const std::string& flag, const std::string& fallback) const;
  std::vector<std::string> All(const std::string& flag) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> flags_;
};

}  // namespace webhookctl

#endif  // TOOLS_WEBHOOKCTL_ARGS_H_
