// webhookctl: the relay's admin CLI, on the C++ client library.
// `webhookctl --help` lists the commands; `webhookctl GROUP COMMAND --help`
// explains one.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fig_webhook_relay/client.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "tools/webhookctl/args.h"
#include "tools/webhookctl/table.h"

namespace webhookctl {
namespace {

namespace v1 = ::fig::webhooks::v1;
using ::fig_webhook_relay::Client;
using ::google::protobuf::util::TimeUtil;

// Exit codes.
constexpr int kOk = 0;
constexpr int kServerError = 1;  // the relay said no (its message is printed)
constexpr int kUsage = 2;        // the command line is wrong
constexpr int kNotDelivered =
    3;  // publish --wait: not every web hook succeeded

const std::set<std::string> kGlobalFlags = {"target", "timeout", "token",
                                            "ca-cert"};
const std::set<std::string> kGlobalSwitches = {"json", "tls", "help"};

struct Context {
  Client* relay;
  bool json;
};

struct Command {
  std::string group;
  std::string name;
  std::string usage;  // arguments, then one line per flag
  std::set<std::string> flags;
  std::set<std::string> switches;
  std::function<int(Context&, const Args&)> run;
};

int Fail(const absl::Status& status) {
  std::cerr << "webhookctl: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return kServerError;
}

int Usage(const std::string& message) {
  std::cerr << "webhookctl: " << message << " (see --help)\n";
  return kUsage;
}

void PrintJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(m, &json, options);
  std::cout << json;
}

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string Millis(const google::protobuf::Duration& d) {
  return absl::StrCat(TimeUtil::DurationToMilliseconds(d), " ms");
}

// Fig's route names and the enum's names both work, in any case.
absl::StatusOr<v1::WebHookType> ParseType(const std::string& text) {
  const auto* e = v1::WebHookType_descriptor();
  std::string want = absl::AsciiStrToUpper(text);
  for (int i = 1; i < e->value_count(); ++i) {
    std::string name = e->value(i)->name();
    std::string route;
    for (absl::string_view part :
         absl::StrSplit(absl::AsciiStrToLower(name), '_')) {
      route += absl::StrCat(absl::AsciiStrToUpper(part.substr(0, 1)),
                            part.substr(1));
    }
    if (want == name || want == absl::AsciiStrToUpper(route)) {
      return static_cast<v1::WebHookType>(e->value(i)->number());
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--type: unknown type \"", text,
                   "\" (e.g. SETTING_VALUE_CHANGED or SettingValueChanged)"));
}

std::string TypeName(int type) { return v1::WebHookType_Name(type); }

absl::StatusOr<v1::DeliveryState> ParseState(const std::string& text) {
  std::string want = absl::AsciiStrToUpper(text);
  for (v1::DeliveryState s :
       {v1::DELIVERY_STATE_PENDING, v1::DELIVERY_STATE_SUCCEEDED,
        v1::DELIVERY_STATE_DEAD}) {
    if (want == v1::DeliveryState_Name(s) ||
        "DELIVERY_STATE_" + want == v1::DeliveryState_Name(s)) {
      return s;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--state: \"", text, "\" is not pending, succeeded or dead"));
}

std::string StateName(int state) {
  return absl::AsciiStrToLower(v1::DeliveryState_Name(state).substr(15));
}

absl::StatusOr<int> ParseInt(const std::string& flag, const std::string& text) {
  int value;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": not a number: ", text));
  }
  return value;
}

absl::StatusOr<bool> ParseBool(const std::string& flag,
                               const std::string& text) {
  bool value;
  if (!absl::SimpleAtob(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": true or false, not ", text));
  }
  return value;
}

absl::StatusOr<google::protobuf::Duration> ParseDurationFlag(
    const std::string& flag, const std::string& text) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": not a duration like 30s, 5m or 24h: ", text));
  }
  return TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(d));
}

// The one positional argument (an id).
absl::StatusOr<std::string> Id(const Args& args) {
  if (args.positional().size() != 1) {
    return absl::InvalidArgumentError("give exactly one id");
  }
  return args.positional()[0];
}

// Runs the pieces that can fail on the command line: usage errors exit 2.
#define USAGE_OR(lhs, expr)                                                   \
  auto lhs##_or = (expr);                                                     \
  if (!lhs##_or.ok()) return Usage(std::string(lhs##_or.status().message())); \
  auto lhs = *std::move(lhs##_or)

#define USAGE_IF_ERROR(expr)                                         \
  do {                                                               \
    absl::Status status_ = (expr);                                   \
    if (!status_.ok()) return Usage(std::string(status_.message())); \
  } while (0)

// --page-size and --page-token, for the list commands.
template <typename Request>
absl::Status SetPaging(const Args& args, Request* req) {
  auto size = ParseInt("page-size", args.GetOr("page-size", "0"));
  if (!size.ok()) return size.status();
  req->set_page_size(*size);
  req->set_page_token(args.GetOr("page-token", ""));
  return absl::OkStatus();
}

// Prints the result (JSON, or `table` for people), or fails.
template <typename Response>
int Show(Context& ctx, const absl::StatusOr<Response>& resp,
         const std::function<void(const Response&)>& table) {
  if (!resp.ok()) return Fail(resp.status());
  if (ctx.json) {
    PrintJson(*resp);
    std::cout << "\n";
  } else {
    table(*resp);
  }
  return kOk;
}

void ClientTable(const std::vector<const v1::WebHookClient*>& clients) {
  Table t({"ID", "NAME", "BASE URI", "AUTH HEADER", "WEB HOOKS", "CREATED"});
  for (const auto* c : clients) {
    t.Add({c->id(), c->name(), c->base_uri(),
           c->send_authorization_header() ? "yes" : "no",
           absl::StrCat(c->web_hook_count()), Time(c->create_time())});
  }
  t.Print(std::cout);
}

void ClientDetails(const v1::WebHookClient& c) {
  ClientTable({&c});
  if (c.has_previous_secret_expire_time()) {
    std::cout << "previous secret signs until "
              << Time(c.previous_secret_expire_time()) << "\n";
  }
  std::cout << "\n";
  Table routes({"TYPE", "URL"});
  for (const auto& r : c.routes()) routes.Add({TypeName(r.type()), r.url()});
  routes.Print(std::cout);
}

void SecretShownOnce(const std::string& secret, const std::string& hashed) {
  std::cout << "\nsecret:        " << secret << "\nhashed secret: " << hashed
            << "\nThese are shown only now: give the hashed secret to a Fig "
               "integration, the secret to a Standard Webhooks verifier.\n";
}

void WebHookTable(const std::vector<const v1::WebHook*>& hooks) {
  Table t({"ID", "CLIENT ID", "TYPE", "CLIENT REGEX", "SETTING REGEX",
           "MIN SESSIONS"});
  for (const auto* h : hooks) {
    t.Add({h->id(), h->client_id(), TypeName(h->type()), h->client_name_regex(),
           h->setting_name_regex().empty() ? "-" : h->setting_name_regex(),
           h->min_sessions() == 0 ? "-" : absl::StrCat(h->min_sessions())});
  }
  t.Print(std::cout);
}

void DeliveryTable(const std::vector<const v1::Delivery*>& deliveries) {
  Table t(
      {"ID", "TYPE", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "CREATED", "URL"});
  for (const auto* d : deliveries) {
    t.Add({d->id(), TypeName(d->type()), StateName(d->state()),
           absl::StrCat(d->attempt_count()), Time(d->next_attempt_time()),
           Time(d->create_time()), d->url().empty() ? "-" : d->url()});
  }
  t.Print(std::cout);
}

template <typename T>
std::vector<const T*> Pointers(
    const google::protobuf::RepeatedPtrField<T>& items) {
  std::vector<const T*> out;
  for (const T& item : items) out.push_back(&item);
  return out;
}

void NextPage(const std::string& token) {
  if (!token.empty()) std::cout << "\nmore: --page-token=" << token << "\n";
}

// Fills a WebHook from the flags shared by `hooks create` and `hooks matches`.
absl::Status WebHookFromFlags(const Args& args, v1::WebHook* h) {
  if (auto type = args.Get("type")) {
    auto parsed = ParseType(*type);
    if (!parsed.ok()) return parsed.status();
    h->set_type(*parsed);
  }
  h->set_client_id(args.GetOr("client-id", ""));
  h->set_client_name_regex(args.GetOr("client-name-regex", ".*"));
  h->set_setting_name_regex(args.GetOr("setting-name-regex", ""));
  if (auto min = args.Get("min-sessions")) {
    auto parsed = ParseInt("min-sessions", *min);
    if (!parsed.ok()) return parsed.status();
    h->set_min_sessions(*parsed);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Event> ReadEvent(const Args& args) {
  std::string text;
  std::string file = args.GetOr("file", "-");
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(file);
    if (!in)
      return absl::InvalidArgumentError(
          absl::StrCat("--file: cannot read ", file));
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  v1::Event event;
  auto status = google::protobuf::util::JsonStringToMessage(text, &event);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the event is not JSON of fig.webhooks.v1.Event: ",
                     status.message().as_string()));
  }
  return event;
}

std::vector<Command> Commands() {
  const std::set<std::string> kPaging = {"page-size", "page-token"};
  auto with = [](std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
  };
  std::vector<Command> c;

  c.push_back(
      {"clients",
       "create",
       "--name=NAME --base-uri=URI [--secret=S] [--no-authorization-header]\n"
       "  Creates a client; prints its secret and Fig hashed secret, shown "
       "only now.",
       {"name", "base-uri", "secret"},
       {"no-authorization-header"},
       [](Context& ctx, const Args& a) {
         v1::CreateClientRequest req;
         req.set_name(a.GetOr("name", ""));
         req.set_base_uri(a.GetOr("base-uri", ""));
         if (auto s = a.Get("secret")) req.set_secret(*s);
         if (a.Has("no-authorization-header"))
           req.set_send_authorization_header(false);
         return Show<v1::CreateClientResponse>(
             ctx, ctx.relay->CreateClient(req), [](const auto& r) {
               ClientDetails(r.client());
               SecretShownOnce(r.secret(), r.hashed_secret());
             });
       }});
  c.push_back({"clients",
               "list",
               "[--page-size=N] [--page-token=T]\n  Lists clients by name.",
               kPaging,
               {},
               [](Context& ctx, const Args& a) {
                 v1::ListClientsRequest req;
                 USAGE_OR(size,
                          ParseInt("page-size", a.GetOr("page-size", "0")));
                 req.set_page_size(size);
                 req.set_page_token(a.GetOr("page-token", ""));
                 return Show<v1::ListClientsResponse>(
                     ctx, ctx.relay->ListClients(req), [](const auto& r) {
                       ClientTable(Pointers(r.clients()));
                       NextPage(r.next_page_token());
                     });
               }});
  c.push_back({"clients",
               "get",
               "ID\n  Shows a client and the URL of each route.",
               {},
               {},
               [](Context& ctx, const Args& a) {
                 USAGE_OR(id, Id(a));
                 v1::GetClientRequest req;
                 req.set_id(id);
                 return Show<v1::WebHookClient>(ctx, ctx.relay->GetClient(req),
                                                ClientDetails);
               }});
  c.push_back(
      {"clients",
       "update",
       "ID [--name=NAME] [--base-uri=URI] [--authorization-header=true|false]\n"
       "  Changes what is given, keeps the rest.",
       {"name", "base-uri", "authorization-header"},
       {},
       [](Context& ctx, const Args& a) {
         USAGE_OR(id, Id(a));
         v1::UpdateClientRequest req;
         req.set_id(id);
         if (auto v = a.Get("name")) req.set_name(*v);
         if (auto v = a.Get("base-uri")) req.set_base_uri(*v);
         if (auto v = a.Get("authorization-header")) {
           USAGE_OR(on, ParseBool("authorization-header", *v));
           req.set_send_authorization_header(on);
         }
         return Show<v1::WebHookClient>(ctx, ctx.relay->UpdateClient(req),
                                        ClientDetails);
       }});
  c.push_back({"clients",
               "delete",
               "ID\n  Deletes a client that has no web hooks.",
               {},
               {},
               [](Context& ctx, const Args& a) {
                 USAGE_OR(id, Id(a));
                 v1::DeleteClientRequest req;
                 req.set_id(id);
                 return Show<v1::DeleteClientResponse>(
                     ctx, ctx.relay->DeleteClient(req), [&](const auto&) {
                       std::cout << "deleted client " << id << "\n";
                     });
               }});
  c.push_back(
      {"clients",
       "rotate-secret",
       "ID [--grace=24h] [--secret=S]\n"
       "  A new secret; the old one keeps signing for the grace period.",
       {"grace", "secret"},
       {},
       [](Context& ctx, const Args& a) {
         USAGE_OR(id, Id(a));
         v1::RotateClientSecretRequest req;
         req.set_id(id);
         if (auto s = a.Get("secret")) req.set_secret(*s);
         if (auto g = a.Get("grace")) {
           USAGE_OR(grace, ParseDurationFlag("grace", *g));
           *req.mutable_grace_period() = grace;
         }
         return Show<v1::RotateClientSecretResponse>(
             ctx, ctx.relay->RotateClientSecret(req), [](const auto& r) {
               ClientDetails(r.client());
               SecretShownOnce(r.secret(), r.hashed_secret());
             });
       }});
  c.push_back(
      {"clients",
       "test",
       "ID [--type=TYPE ...] [--timeout=2s]\n"
       "  Sends a canned payload (IsTest true) to each route; stores nothing.",
       {"type", "timeout"},
       {},
       [](Context& ctx, const Args& a) {
         USAGE_OR(id, Id(a));
         v1::TestClientRequest req;
         req.set_id(id);
         for (const std::string& t : a.All("type")) {
           USAGE_OR(type, ParseType(t));
           req.add_types(type);
         }
         if (auto t = a.Get("timeout")) {
           USAGE_OR(timeout, ParseDurationFlag("timeout", *t));
           *req.mutable_timeout() = timeout;
         }
         auto resp = ctx.relay->TestClient(req);
         int code = Show<v1::TestClientResponse>(ctx, resp, [](const auto& r) {
           Table t({"TYPE", "URL", "RESULT", "HTTP", "DURATION", "MESSAGE"});
           for (const auto& x : r.results()) {
             t.Add({TypeName(x.type()), x.url(), x.result(),
                    absl::StrCat(x.http_status()), Millis(x.duration()),
                    x.message()});
           }
           t.Print(std::cout);
         });
         return code;
       }});

  const std::set<std::string> kHookSpec = {
      "client-id", "type", "client-name-regex", "setting-name-regex",
      "min-sessions"};
  c.push_back({"hooks",
               "create",
               "--client-id=ID --type=TYPE [--client-name-regex=.*] "
               "[--setting-name-regex=RE] [--min-sessions=N]\n"
               "  Creates a web hook and says what it matches.",
               kHookSpec,
               {},
               [](Context& ctx, const Args& a) {
                 v1::CreateWebHookRequest req;
                 USAGE_IF_ERROR(WebHookFromFlags(a, req.mutable_web_hook()));
                 return Show<v1::CreateWebHookResponse>(
                     ctx, ctx.relay->CreateWebHook(req), [](const auto& r) {
                       WebHookTable({&r.web_hook()});
                       std::cout << "\n" << r.matches().message() << "\n";
                     });
               }});
  c.push_back(
      {"hooks",
       "list",
       "[--client-id=ID] [--type=TYPE] [--page-size=N] [--page-token=T]\n"
       "  Lists web hooks.",
       with({"client-id", "type"}, kPaging),
       {},
       [](Context& ctx, const Args& a) {
         v1::ListWebHooksRequest req;
         req.set_client_id(a.GetOr("client-id", ""));
         if (auto t = a.Get("type")) {
           USAGE_OR(type, ParseType(*t));
           req.set_type(type);
         }
         USAGE_IF_ERROR(SetPaging(a, &req));
         return Show<v1::ListWebHooksResponse>(
             ctx, ctx.relay->ListWebHooks(req), [](const auto& r) {
               WebHookTable(Pointers(r.web_hooks()));
               NextPage(r.next_page_token());
             });
       }});
  c.push_back({"hooks",
               "get",
               "ID\n  Shows a web hook.",
               {},
               {},
               [](Context& ctx, const Args& a) {
                 USAGE_OR(id, Id(a));
                 v1::GetWebHookRequest req;
                 req.set_id(id);
                 return Show<v1::WebHook>(
                     ctx, ctx.relay->GetWebHook(req),
                     [](const auto& h) { WebHookTable({&h}); });
               }});
  c.push_back(
      {"hooks",
       "update",
       "ID [--type=TYPE] [--client-name-regex=RE] [--setting-name-regex=RE] "
       "[--min-sessions=N]\n  Changes what is given, keeps the rest.",
       {"type", "client-name-regex", "setting-name-regex", "min-sessions"},
       {},
       [](Context& ctx, const Args& a) {
         USAGE_OR(id, Id(a));
         v1::UpdateWebHookRequest req;
         req.set_id(id);
         if (auto t = a.Get("type")) {
           USAGE_OR(type, ParseType(*t));
           req.set_type(type);
         }
         if (auto v = a.Get("client-name-regex")) req.set_client_name_regex(*v);
         if (auto v = a.Get("setting-name-regex"))
           req.set_setting_name_regex(*v);
         if (auto v = a.Get("min-sessions")) {
           USAGE_OR(min, ParseInt("min-sessions", *v));
           req.set_min_sessions(min);
         }
         return Show<v1::WebHook>(ctx, ctx.relay->UpdateWebHook(req),
                                  [](const auto& h) { WebHookTable({&h}); });
       }});
  c.push_back({"hooks",
               "delete",
               "ID\n  Deletes a web hook (its deliveries stay).",
               {},
               {},
               [](Context& ctx, const Args& a) {
                 USAGE_OR(id, Id(a));
                 v1::DeleteWebHookRequest req;
                 req.set_id(id);
                 return Show<v1::DeleteWebHookResponse>(
                     ctx, ctx.relay->DeleteWebHook(req), [&](const auto&) {
                       std::cout << "deleted web hook " << id << "\n";
                     });
               }});
  c.push_back(
      {"hooks",
       "matches",
       "(ID | --type=TYPE [--client-name-regex=RE] [--setting-name-regex=RE]) "
       "[--page-size=N] [--page-token=T]\n"
       "  What a saved web hook, or one not saved yet, matches in the catalog.",
       with(kHookSpec, kPaging),
       {},
       [](Context& ctx, const Args& a) {
         v1::GetWebHookMatchesRequest req;
         if (a.positional().size() == 1) {
           req.set_web_hook_id(a.positional()[0]);
         } else {
           absl::Status s = WebHookFromFlags(a, req.mutable_spec());
           if (!s.ok()) return Usage(std::string(s.message()));
         }
         USAGE_IF_ERROR(SetPaging(a, &req));
         return Show<v1::GetWebHookMatchesResponse>(
             ctx, ctx.relay->GetWebHookMatches(req), [](const auto& r) {
               std::cout << r.summary().message() << "\n\n";
               Table t({"CLIENT", "SETTING"});
               for (const auto& row : r.rows()) {
                 t.Add({row.client_name(),
                        row.setting_name().empty() ? "-" : row.setting_name()});
               }
               t.Print(std::cout);
               NextPage(r.next_page_token());
             });
       }});

  c.push_back(
      {"deliveries",
       "list",
       "[--client-id=ID] [--web-hook-id=ID] [--event-id=ID] [--type=TYPE] "
       "[--state=pending|succeeded|dead] [--page-size=N] [--page-token=T]\n"
       "  Lists deliveries, newest first.",
       with({"client-id", "web-hook-id", "event-id", "type", "state"}, kPaging),
       {},
       [](Context& ctx, const Args& a) {
         v1::ListDeliveriesRequest req;
         req.set_client_id(a.GetOr("client-id", ""));
         req.set_web_hook_id(a.GetOr("web-hook-id", ""));
         req.set_event_id(a.GetOr("event-id", ""));
         if (auto t = a.Get("type")) {
           USAGE_OR(type, ParseType(*t));
           req.set_type(type);
         }
         if (auto s = a.Get("state")) {
           USAGE_OR(state, ParseState(*s));
           req.set_state(state);
         }
         USAGE_IF_ERROR(SetPaging(a, &req));
         return Show<v1::ListDeliveriesResponse>(
             ctx, ctx.relay->ListDeliveries(req), [](const auto& r) {
               DeliveryTable(Pointers(r.deliveries()));
               NextPage(r.next_page_token());
             });
       }});
  c.push_back({"deliveries",
               "get",
               "ID\n  Shows a delivery: payload, headers sent, every attempt.",
               {},
               {},
               [](Context& ctx, const Args& a) {
                 USAGE_OR(id, Id(a));
                 v1::GetDeliveryRequest req;
                 req.set_id(id);
                 return Show<v1::Delivery>(
                     ctx, ctx.relay->GetDelivery(req), [](const auto& d) {
                       DeliveryTable({&d});
                       std::cout << "\npayload: " << d.payload()
                                 << "\n\nheaders sent:\n";
                       for (const auto& h : d.request_headers()) {
                         std::cout << "  " << h.name() << ": " << h.value()
                                   << "\n";
                       }
                       std::cout << "\n";
                       Table t({"#", "TIME", "HTTP", "DURATION", "MANUAL",
                                "ERROR", "RESPONSE"});
                       for (const auto& x : d.attempts()) {
                         t.Add({absl::StrCat(x.number()), Time(x.time()),
                                absl::StrCat(x.http_status()),
                                Millis(x.duration()), x.manual() ? "yes" : "no",
                                x.error(), x.response_body().substr(0, 60)});
                       }
                       t.Print(std::cout);
                     });
               }});
  c.push_back({"deliveries",
               "redeliver",
               "ID\n  Sends a delivery again now, dead ones included.",
               {},
               {},
               [](Context& ctx, const Args& a) {
                 USAGE_OR(id, Id(a));
                 v1::RedeliverDeliveryRequest req;
                 req.set_id(id);
                 return Show<v1::Delivery>(
                     ctx, ctx.relay->RedeliverDelivery(req),
                     [](const auto& d) { DeliveryTable({&d}); });
               }});

  c.push_back({"sessions",
               "list",
               "[--client-name=NAME] [--page-size=N] [--page-token=T]\n"
               "  Live run sessions per client and instance.",
               with({"client-name"}, kPaging),
               {},
               [](Context& ctx, const Args& a) {
                 v1::ListRunSessionsRequest req;
                 req.set_client_name(a.GetOr("client-name", ""));
                 USAGE_IF_ERROR(SetPaging(a, &req));
                 return Show<v1::ListRunSessionsResponse>(
                     ctx, ctx.relay->ListRunSessions(req), [](const auto& r) {
                       Table t({"CLIENT", "INSTANCE", "SESSIONS", "LAST SEEN"});
                       for (const auto& g : r.groups()) {
                         t.Add({g.client_name(),
                                g.has_instance() ? g.instance() : "-",
                                absl::StrCat(g.count()), Time(g.last_seen())});
                       }
                       t.Print(std::cout);
                       NextPage(r.next_page_token());
                     });
               }});

  c.push_back(
      {"publish",
       "",
       "[--file=event.json] [--idempotency-key=K] [--wait] "
       "[--wait-timeout=30s]\n"
       "  Publishes one event, JSON of fig.webhooks.v1.Event from the file or "
       "stdin,\n"
       "  e.g. {\"setting_value_changed\": {\"ClientName\": \"OrderSvc\",\n"
       "  \"UpdatedSettings\": [\"DbConn\"]}}. With --wait, waits until every\n"
       "  delivery has succeeded or is dead; exits 3 unless all succeeded.",
       {"file", "idempotency-key", "wait-timeout"},
       {"wait"},
       [](Context& ctx, const Args& a) {
         USAGE_OR(event, ReadEvent(a));
         USAGE_OR(wait_for, ParseDurationFlag("wait-timeout",
                                              a.GetOr("wait-timeout", "30s")));
         v1::PublishRequest req;
         *req.mutable_event() = event;
         req.set_idempotency_key(a.GetOr("idempotency-key", ""));
         auto resp = ctx.relay->Publish(req);
         if (!resp.ok()) return Fail(resp.status());
         if (!a.Has("wait")) {
           return Show<v1::PublishResponse>(ctx, resp, [](const auto& r) {
             std::cout << "event " << r.event_id() << ": " << r.delivery_count()
                       << " deliveries" << (r.duplicate() ? " (duplicate)" : "")
                       << "\n";
           });
         }
         v1::ListDeliveriesRequest list;
         list.set_event_id(resp->event_id());
         list.set_page_size(1000);
         absl::Time deadline =
             absl::Now() + absl::Seconds(TimeUtil::DurationToSeconds(wait_for));
         absl::StatusOr<v1::ListDeliveriesResponse> deliveries;
         bool settled = false, all_ok = false;
         while (true) {
           deliveries = ctx.relay->ListDeliveries(list);
           if (!deliveries.ok()) return Fail(deliveries.status());
           settled = all_ok = true;
           for (const auto& d : deliveries->deliveries()) {
             settled &= d.state() != v1::DELIVERY_STATE_PENDING;
             all_ok &= d.state() == v1::DELIVERY_STATE_SUCCEEDED;
           }
           if (settled || absl::Now() > deadline) break;
           absl::SleepFor(absl::Milliseconds(100));
         }
         int code = Show<v1::ListDeliveriesResponse>(
             ctx, deliveries, [&](const auto& r) {
               std::cout << "event " << resp->event_id() << ": "
                         << resp->delivery_count() << " deliveries"
                         << (resp->duplicate() ? " (duplicate)" : "") << "\n\n";
               DeliveryTable(Pointers(r.deliveries()));
             });
         return code != kOk ? code : all_ok ? kOk : kNotDelivered;
       }});
  return c;
}

std::string FullName(const Command& c) {
  return c.name.empty() ? c.group : c.group + " " + c.name;
}

void Help(const std::vector<Command>& commands) {
  std::cout
      << "webhookctl: manage fig-webhook-relay.\n\n"
         "usage: webhookctl [global flags] GROUP COMMAND [arguments and "
         "flags]\n\n"
         "global flags:\n"
         "  --target=HOST:PORT  the relay (default $WEBHOOK_RELAY, else "
         "127.0.0.1:50051)\n"
         "  --json              print the response as JSON (proto field "
         "names)\n"
         "  --timeout=10s       deadline of each call\n"
         "  --tls, --ca-cert=FILE, --token=TOKEN  TLS and a bearer token\n\n"
         "commands:\n";
  for (const Command& c : commands) {
    std::cout << "  " << FullName(c) << " "
              << c.usage.substr(0, c.usage.find('\n')) << "\n";
  }
  std::cout
      << "\n`webhookctl GROUP COMMAND --help` explains one command.\n"
         "Exit codes: 0 ok, 1 the relay refused (its message is printed), "
         "2 bad command line, 3 publish --wait: not all delivered.\n";
}

int Main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  const std::vector<Command> commands = Commands();
  // GROUP [COMMAND] are the first words that are neither flags nor the
  // values of global flags given as "--flag value".
  std::vector<size_t> head_at;
  for (size_t i = 0; i < words.size() && head_at.size() < 2; ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) == 0) {
      if (w.find('=') == std::string::npos &&
          kGlobalFlags.count(w.substr(2)) > 0)
        ++i;
      continue;
    }
    head_at.push_back(i);
  }
  std::vector<std::string> head;
  for (size_t i : head_at) head.push_back(words[i]);
  const Command* command = nullptr;
  for (const Command& c : commands) {
    if (!head.empty() && head[0] == c.group &&
        (c.name.empty() || (head.size() > 1 && head[1] == c.name))) {
      command = &c;
    }
  }
  bool help = false;
  for (const std::string& w : words) help |= w == "--help" || w == "-h";
  if (command == nullptr) {
    if (help || words.empty()) {
      Help(commands);
      return words.empty() ? kUsage : kOk;
    }
    return Usage(
        absl::StrCat("unknown command \"", absl::StrJoin(head, " "), "\""));
  }
  if (help) {
    std::cout << "usage: webhookctl " << FullName(*command) << " "
              << command->usage << "\n";
    return kOk;
  }
  // Drop GROUP and COMMAND; the rest are the command's.
  const size_t used = command->name.empty() ? 1 : 2;
  std::vector<std::string> rest;
  for (size_t i = 0; i < words.size(); ++i) {
    if (std::find(head_at.begin(), head_at.begin() + used, i) ==
        head_at.begin() + used) {
      rest.push_back(words[i]);
    }
  }
  std::set<std::string> flags = command->flags, switches = command->switches;
  flags.insert(kGlobalFlags.begin(), kGlobalFlags.end());
  switches.insert(kGlobalSwitches.begin(), kGlobalSwitches.end());
  auto args = Args::Parse(rest, flags, switches);
  if (!args.ok()) return Usage(std::string(args.status().message()));

  fig_webhook_relay::ConnectOptions options;
  const char* env = std::getenv("WEBHOOK_RELAY");
  options.target =
      args->GetOr("target", env != nullptr && *env ? env : "127.0.0.1:50051");
  options.bearer_token = args->GetOr("token", "");
  options.tls = args->Has("tls") || args->Has("ca-cert");
  if (auto ca = args->Get("ca-cert")) {
    std::ifstream in(*ca);
    if (!in) return Usage(absl::StrCat("--ca-cert: cannot read ", *ca));
    options.ca_cert_pem.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (auto t = args->Get("timeout")) {
    if (!absl::ParseDuration(*t, &options.deadline)) {
      return Usage(absl::StrCat("--timeout: not a duration: ", *t));
    }
  }
  auto relay = Client::Connect(options);
  if (!relay.ok()) return Usage(std::string(relay.status().message()));
  Context ctx{relay->get(), args->Has("json")};
  return command->run(ctx, *args);
}

}  // namespace
}  // namespace webhookctl

int main(int argc, char** argv) { return webhookctl::Main(argc, argv); }
