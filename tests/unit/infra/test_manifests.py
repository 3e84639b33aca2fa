"""The deployment past one machine (infra/k8s, infra/compose.yaml) as files: every document
parses, every service is probed on its health endpoint, graders scale, NATS is three routed
nodes, and the names the pieces use for each other agree."""

import re

import pytest
import yaml

from tests.infra_configs import (
    COMPOSE_NATS,
    HEALTH,
    HTTP_SERVICES,
    INFRA,
    K8S,
    ROOT,
    UPSTREAMS,
    compose,
    compose_services,
    container_port,
    containers,
    k8s_documents,
    k8s_object,
    k8s_objects,
    nats_conf_in_k8s,
    nats_routes,
    workloads,
)


def test_every_yaml_document_in_infra_parses() -> None:
    paths = [*INFRA.rglob("*.yaml"), *INFRA.rglob("*.yml")]
    assert K8S / "kustomization.yaml" in paths and INFRA / "compose.yaml" in paths
    for path in paths:
        assert all(isinstance(doc, dict) for doc in yaml.safe_load_all(path.read_text()) if doc)


def test_kustomization_deploys_every_manifest_in_the_folder() -> None:
    files = k8s_documents()
    listed = files["kustomization.yaml"][0]["resources"]
    assert sorted(listed) == sorted(set(files) - {"kustomization.yaml"})
    assert all(doc["metadata"]["name"] for doc in k8s_objects())


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_every_container_has_probes_and_resource_requests_and_limits(workload) -> None:
    for container in containers(workload):
        assert container.get("readinessProbe") and container.get("livenessProbe")
        resources = container["resources"]
        assert set(resources["requests"]) >= {"cpu", "memory"}
        assert set(resources["limits"]) >= {"cpu", "memory"}


@pytest.mark.parametrize("service", HEALTH)
def test_each_python_service_is_probed_on_its_health_endpoint(service) -> None:
    path, port = HEALTH[service]
    (container,) = containers(k8s_object("Deployment", service))
    assert container["command"][:3] == ["python", "-m", f"services.{service.replace('-', '_')}"]
    for probe in ("readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert (get["path"], container_port(container, get["port"])) == (path, port)
    env = {e["name"]: e.get("value") for e in container["env"]}
    prefix = service.replace("-", "_").upper()
    field = "" if service in HTTP_SERVICES else "METRICS_"
    # listening on the pod's address, where the kubelet's probes come from
    assert env[f"{prefix}_{field}HOST"] == "0.0.0.0"
    assert env[f"{prefix}_{field}PORT"] == str(port)
    refs = [next(iter(ref.values()))["name"] for ref in container["envFrom"]]
    assert refs == ["grindstone", "grindstone"]  # the ConfigMap, then the Secret


@pytest.mark.parametrize("service", HTTP_SERVICES)
def test_each_http_service_has_two_replicas_behind_a_service_nginx_names(service) -> None:
    deployment = k8s_object("Deployment", service)
    assert deployment["spec"]["replicas"] >= 2
    (container,) = containers(deployment)
    (port,) = k8s_object("Service", service)["spec"]["ports"]
    assert container_port(container, port["targetPort"]) == HEALTH[service][1]
    upstreams = k8s_object("ConfigMap", "nginx")["data"]
    named = {upstreams[variable] for variable, name in UPSTREAMS.items() if name == service}
    assert named == {f"{service}:{port['port']}"}


def test_the_projector_runs_once() -> None:
    projector = k8s_object("Deployment", "projector")
    assert projector["spec"]["replicas"] == 1
    assert projector["spec"]["strategy"]["type"] == "Recreate"


def test_graders_are_a_deployment_scaled_by_an_autoscaler() -> None:
    autoscaler = k8s_object("HorizontalPodAutoscaler", "grader")
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "grader")
    assert 1 <= autoscaler["spec"]["minReplicas"] < autoscaler["spec"]["maxReplicas"]


def test_the_grader_pod_has_what_its_sandbox_needs() -> None:
    (container,) = containers(k8s_object("Deployment", "grader"))
    context = container["securityContext"]
    assert context["runAsUser"] == 0  # to drop each run to a uid of its own
    assert {"SYS_ADMIN", "SETUID", "SETGID", "KILL"} <= set(context["capabilities"]["add"])
    # refused by Kubernetes together with SYS_ADMIN
    assert context.get("allowPrivilegeEscalation") is not False
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert not context.get("readOnlyRootFilesystem") or "/tmp" in mounts


def test_nats_is_a_statefulset_of_three_nodes_routed_through_its_headless_service() -> None:
    nats = k8s_object("StatefulSet", "nats")
    assert nats["spec"]["replicas"] == 3
    service = k8s_object("Service", nats["spec"]["serviceName"])
    assert service["spec"]["clusterIP"] == "None"
    assert service["spec"]["publishNotReadyAddresses"] is True
    name, headless = nats["metadata"]["name"], service["metadata"]["name"]
    conf = nats_conf_in_k8s()
    assert sorted(nats_routes(conf)) == [f"{name}-{i}.{headless}:6222" for i in range(3)]
    assert re.search(r"^jetstream\s*\{", conf, re.M) and "store_dir: /data" in conf
    claims = nats["spec"]["volumeClaimTemplates"]
    (container,) = containers(nats)
    assert {m["name"] for m in container["volumeMounts"]} >= {c["metadata"]["name"] for c in claims}


def test_the_services_use_every_nats_node_and_three_replicas() -> None:
    assert k8s_object("ConfigMap", "grindstone")["data"]["NATS_REPLICAS"] == "3"
    environment = compose_services()["command-api"]["environment"]
    assert environment["NATS_REPLICAS"] == "3"
    hosts = re.findall(r"@([^:/,]+):4222", environment["NATS_URL"])
    assert hosts == ["nats-1", "nats-2", "nats-3"]


def test_the_secrets_the_manifests_name_are_documented() -> None:
    readme = (INFRA / "README.md").read_text()
    for doc in k8s_objects():
        for key in _secret_keys(doc):
            assert key in readme, f"{doc['metadata']['name']} reads {key}"


def _secret_keys(doc: object) -> list[str]:
    if isinstance(doc, dict):
        if "secretKeyRef" in doc:
            return [doc["secretKeyRef"]["name"], doc["secretKeyRef"]["key"]]
        if "secretRef" in doc:
            return [doc["secretRef"]["name"]]
        return [key for value in doc.values() for key in _secret_keys(value)]
    if isinstance(doc, list):
        return [key for value in doc for key in _secret_keys(value)]
    return []


def test_every_compose_service_has_a_healthcheck() -> None:
    for name, service in compose_services().items():
        if service.get("restart") == "no":
            continue  # a one-off job (the schema and the curriculum)
        assert service["healthcheck"]["test"], name


@pytest.mark.parametrize("service", HEALTH)
def test_each_compose_service_is_checked_on_its_health_endpoint(service) -> None:
    spec = compose_services()[service]
    path, port = HEALTH[service]
    assert spec["healthcheck"]["test"][-1] == f"http://127.0.0.1:{port}{path}"
    assert spec["command"][:3] == ["python", "-m", f"services.{service.replace('-', '_')}"]
    prefix = service.replace("-", "_").upper()
    field = "" if service in HTTP_SERVICES else "METRICS_"
    assert spec["environment"][f"{prefix}_{field}HOST"] == "0.0.0.0"
    assert spec["environment"][f"{prefix}_{field}PORT"] == str(port)


def test_compose_runs_two_replicas_of_each_http_service_and_scalable_graders() -> None:
    services = compose_services()
    for name in HTTP_SERVICES:
        assert services[name]["deploy"]["replicas"] >= 2
    grader = services["grader"]
    assert grader["deploy"]["replicas"] >= 1 and "container_name" not in grader
    assert "SYS_ADMIN" in grader["cap_add"] and grader["user"] == "0"
    upstreams = services["nginx"]["environment"]
    for variable, name in UPSTREAMS.items():
        assert upstreams[variable] == f"{name}:{HEALTH[name][1]}"


def test_compose_runs_three_nats_nodes_routed_to_each_other() -> None:
    services = compose_services()
    nodes = sorted(name for name in services if name.startswith("nats-"))
    assert nodes == ["nats-1", "nats-2", "nats-3"]
    assert sorted(nats_routes(COMPOSE_NATS.read_text())) == [f"{n}:6222" for n in nodes]
    for node in nodes:
        spec = services[node]
        assert spec["environment"]["NATS_SERVER_NAME"] == node
        assert spec["configs"][0]["source"] in compose()["configs"]
        assert spec["healthcheck"]["test"] and spec["volumes"]
    assert (ROOT / "infra" / compose()["configs"]["nats"]["file"]).resolve() == COMPOSE_NATS
