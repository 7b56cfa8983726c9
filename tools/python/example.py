#!/usr/bin/python3
"""Calls fig-webhook-relay from Python through stubs generated from protos/.

The build generates the stubs (Debian's grpc_python_plugin) into
build/python; run with Debian's python3-grpcio:

    PYTHONPATH=build/python /usr/bin/python3 tools/python/example.py 127.0.0.1:50051
"""
import sys

import grpc

from fig.webhooks.v1 import admin_pb2, admin_pb2_grpc
from fig.webhooks.v1 import events_pb2, ingest_pb2, ingest_pb2_grpc
from fig.webhooks.v1 import resources_pb2


def main(target):
    channel = grpc.insecure_channel(target)
    admin = admin_pb2_grpc.WebHookAdminStub(channel)
    ingest = ingest_pb2_grpc.EventIngestStub(channel)

    created = admin.CreateClient(admin_pb2.CreateClientRequest(
        name="python-example", base_uri="http://127.0.0.1:9/hooks/"), timeout=10)
    print("client", created.client.id, "hashed secret", created.hashed_secret)
    hook = admin.CreateWebHook(admin_pb2.CreateWebHookRequest(
        web_hook=resources_pb2.WebHook(
            client_id=created.client.id,
            type=resources_pb2.SETTING_VALUE_CHANGED,
            client_name_regex="Order",
            setting_name_regex="^Db")), timeout=10)
    print("web hook", hook.web_hook.id, "-", hook.matches.message)

    published = ingest.Publish(ingest_pb2.PublishRequest(
        event=events_pb2.Event(setting_value_changed=events_pb2.SettingValueChanged(
            client_name="OrderSvc", updated_settings=["DbConn", "Timeout"],
            change_message="from Python")),
        idempotency_key="python-example-1"), timeout=10)
    print("event", published.event_id, published.delivery_count, "deliveries")

    deliveries = admin.ListDeliveries(
        admin_pb2.ListDeliveriesRequest(event_id=published.event_id), timeout=10)
    for d in deliveries.deliveries:
        print("delivery", d.id, resources_pb2.DeliveryState.Name(d.state), d.payload)

    try:
        admin.GetClient(admin_pb2.GetClientRequest(id="no-such-client"), timeout=10)
    except grpc.RpcError as e:
        print("as expected:", e.code().name, e.details())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051"))
