// EventIngest: validate, route, render, and commit before answering.
#ifndef SERVER_API_INGEST_SERVICE_H_
#define SERVER_API_INGEST_SERVICE_H_

#include <vector>

#include "fig/webhooks/v1/ingest.grpc.pb.h"
#include "server/api/service_context.h"

namespace relay {

// Thread-safe. Routing and rendering run on the gRPC thread (CPU only); the
// call finishes from the group-commit thread once the store has committed.
class EventIngestService final
    : public fig::webhooks::v1::EventIngest::CallbackService {
 public:
  explicit EventIngestService(ServiceContext context)
      : context_(std::move(context)) {}

  grpc::ServerUnaryReactor* Publish(
      grpc::CallbackServerContext* ctx,
      const fig::webhooks::v1::PublishRequest* req,
      fig::webhooks::v1::PublishResponse* resp) override;
  grpc::ServerUnaryReactor* PublishBatch(
      grpc::CallbackServerContext* ctx,
      const fig::webhooks::v1::PublishBatchRequest* req,
      fig::webhooks::v1::PublishBatchResponse* resp) override;

 private:
  // Validates one request (errors prefixed with `prefix`) and routes it.
  absl::StatusOr<NewEvent> Prepare(const fig::webhooks::v1::PublishRequest& req,
                                   absl::string_view prefix) const;

  ServiceContext context_;
};

}  // namespace relay

#endif  // SERVER_API_INGEST_SERVICE_H_
