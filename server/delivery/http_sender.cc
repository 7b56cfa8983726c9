#include "server/delivery/http_sender.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/delivery/egress.h"

namespace relay {

struct CurlHttpSender::Transfer {
  HttpRequest request;
  std::function<void(HttpResult)> done;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResult result;
  char error[CURL_ERROR_SIZE] = {0};
  // Set when the connect-time check refused the address.
  std::string refused;

  ~Transfer() {
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
  }
};

namespace {

size_t KeepBodyPrefix(char* data, size_t size, size_t n, void* user) {
  std::string* body = static_cast<std::string*>(user);
  size_t room = kMaxResponseBody - std::min(body->size(), kMaxResponseBody);
  body->append(data, std::min(room, size * n));
  return size * n;
}

// Connect-time egress check: curl asks for each socket after resolving.
curl_socket_t OpenSocket(void* user, curlsocktype purpose,
                         curl_sockaddr* address) {
  if (purpose == CURLSOCKTYPE_IPCXN) {
    std::string reason = RefusedAddressReason(&address->addr);
    if (!reason.empty()) {
      static_cast<CurlHttpSender::Transfer*>(user)->refused = std::move(reason);
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

CurlHttpSender::CurlHttpSender()
    : multi_((curl_global_init(CURL_GLOBAL_DEFAULT), curl_multi_init())) {
  thread_ = std::thread([this] { Loop(); });
}

CurlHttpSender::~CurlHttpSender() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
}

void CurlHttpSender::Send(HttpRequest request,
                          std::function<void(HttpResult)> done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  {
    absl::MutexLock l(&mu_);
    queue_.push_back(std::move(t));
  }
  curl_multi_wakeup(multi_);
}

void CurlHttpSender::Start(std::unique_ptr<Transfer> t) {
  CURL* e = curl_easy_init();
  t->easy = e;
  const HttpRequest& r = t->request;
  for (const auto& [name, value] : r.headers) {
    t->headers =
        curl_slist_append(t->headers, absl::StrCat(name, ": ", value).c_str());
  }
  // No "Expect: 100-continue" round trip.
  t->headers = curl_slist_append(t->headers, "Expect:");
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(r.body.size()));
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(r.timeout)));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(r.timeout)));
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "fig-webhook-relay/0.1");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, KeepBodyPrefix);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->result.body);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
  curl_multi_add_handle(multi_, e);
  running_.emplace(e, std::move(t));
}

void CurlHttpSender::Finish(CURL* easy, CURLcode code) {
  auto node = running_.extract(easy);
  std::unique_ptr<Transfer> t = std::move(node.mapped());
  curl_multi_remove_handle(multi_, easy);
  HttpResult& result = t->result;
  curl_off_t micros = 0;
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &micros);
  result.duration = absl::Microseconds(micros);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
    curl_off_t retry_after = 0;
    curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after);
    result.retry_after = absl::Seconds(retry_after);
  } else {
    result.status = 0;
    result.error = !t->refused.empty()   ? t->refused
                   : t->error[0] != '\0' ? t->error
                                         : curl_easy_strerror(code);
  }
  t->done(std::move(result));
}

void CurlHttpSender::Loop() {
  while (true) {
    std::deque<std::unique_ptr<Transfer>> incoming;
    bool stopping;
    {
      absl::MutexLock l(&mu_);
      incoming.swap(queue_);
      stopping = stopping_;
    }
    for (auto& t : incoming) Start(std::move(t));
    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg == CURLMSG_DONE) Finish(msg->easy_handle, msg->data.result);
    }
    if (stopping) {
      // Abort what still runs: each caller hears of it once.
      while (!running_.empty()) {
        Finish(running_.begin()->first, CURLE_ABORTED_BY_CALLBACK);
      }
      return;
    }
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
}

}  // namespace relay
