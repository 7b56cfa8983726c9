// A web hook's filters, validated and compiled once (RE2), for routing and
// for match previews.
#ifndef SERVER_CORE_WEB_HOOK_FILTER_H_
#define SERVER_CORE_WEB_HOOK_FILTER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fig/webhooks/v1/resources.pb.h"
#include "re2/re2.h"

namespace relay {

// Bounds on a regex, so no web hook can make routing slow or large.
inline constexpr size_t kMaxRegexLength = 1024;
inline constexpr int kMaxRegexProgramSize = 5000;

// Immutable and thread-safe once compiled; cheap to copy (shares the RE2s).
class WebHookFilter {
 public:
  // Validates `hook` and compiles its regexes. The stored form is
  // normalised: setting_name_regex is cleared for types other than
  // SETTING_VALUE_CHANGED and min_sessions for types other than
  // MIN_RUN_SESSIONS. InvalidArgument names the field (without a prefix,
  // e.g. "client_name_regex: ...") and the reason, with RE2's error text for
  // a regex that does not compile.
  static absl::StatusOr<WebHookFilter> Compile(fig::webhooks::v1::WebHook hook);

  // The normalised web hook.
  const fig::webhooks::v1::WebHook& hook() const { return *hook_; }

  // .NET Regex.IsMatch semantics: unanchored, case-sensitive. SECURITY_EVENT
  // web hooks match every client.
  bool MatchesClient(absl::string_view client_name) const;
  // For SETTING_VALUE_CHANGED only; false for other types.
  bool MatchesSetting(absl::string_view setting_name) const;

 private:
  WebHookFilter() = default;

  std::shared_ptr<const fig::webhooks::v1::WebHook> hook_;
  std::shared_ptr<const RE2> client_re_;
  std::shared_ptr<const RE2> setting_re_;  // null unless SETTING_VALUE_CHANGED
};

}  // namespace relay

#endif  // SERVER_CORE_WEB_HOOK_FILTER_H_
