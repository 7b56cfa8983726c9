#include "server/core/web_hook_filter.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/web_hook_type.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

namespace {

absl::StatusOr<std::shared_ptr<const RE2>> CompileRegex(
    absl::string_view field, const std::string& pattern) {
  if (pattern.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required (use \".*\" to match everything)"));
  }
  if (pattern.size() > kMaxRegexLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": longer than ", kMaxRegexLength, " characters"));
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": not a valid RE2 regex: ", re->error(),
        " (lookaround and backreferences of .NET have no RE2 equivalent)"));
  }
  if (re->ProgramSize() > kMaxRegexProgramSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": too complex (RE2 program size ",
                     re->ProgramSize(), " > ", kMaxRegexProgramSize, ")"));
  }
  return re;
}

}  // namespace

absl::StatusOr<WebHookFilter> WebHookFilter::Compile(v1::WebHook hook) {
  if (!IsValidWebHookType(hook.type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("type: required, one of CLIENT_STATUS_CHANGED ... "
                     "SECURITY_EVENT (got ",
                     hook.type(), ")"));
  }
  WebHookFilter filter;
  auto client_re = CompileRegex("client_name_regex", hook.client_name_regex());
  if (!client_re.ok()) return client_re.status();
  filter.client_re_ = *std::move(client_re);

  if (hook.type() == v1::SETTING_VALUE_CHANGED) {
    auto setting_re =
        CompileRegex("setting_name_regex", hook.setting_name_regex());
    if (!setting_re.ok()) return setting_re.status();
    filter.setting_re_ = *std::move(setting_re);
  } else {
    hook.clear_setting_name_regex();
  }

  if (hook.type() == v1::MIN_RUN_SESSIONS) {
    if (hook.min_sessions() < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("min_sessions: must be >= 1 for MIN_RUN_SESSIONS (got ",
                       hook.min_sessions(), ")"));
    }
  } else {
    hook.clear_min_sessions();
  }
  filter.hook_ = std::make_shared<const v1::WebHook>(std::move(hook));
  return filter;
}

bool WebHookFilter::MatchesClient(absl::string_view client_name) const {
  if (hook_->type() == v1::SECURITY_EVENT) return true;
  return RE2::PartialMatch(
      re2::StringPiece(client_name.data(), client_name.size()), *client_re_);
}

bool WebHookFilter::MatchesSetting(absl::string_view setting_name) const {
  return setting_re_ != nullptr &&
         RE2::PartialMatch(
             re2::StringPiece(setting_name.data(), setting_name.size()),
             *setting_re_);
}

}  // namespace relay
