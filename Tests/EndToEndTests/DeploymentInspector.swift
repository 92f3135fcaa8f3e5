/// The YAML-reading half of `DeploymentFilesTests`, in Python (PyYAML), since the test target
/// has no YAML library. `python3 -c script <package root> <mode>` prints one JSON object:
/// `problems` (empty when all is well) plus what the mode collects.
///   yaml        every YAML file under deploy/ and grafana/ parses; `count`
///   compose     the compose file agrees with the Prometheus, Alertmanager and Grafana files
///   kubernetes  the manifests agree with each other (selectors, ports, mounts, flags)
///   commands    every exporter command line in deploy/ as `commands`
///   flags       every exporter flag written in docs and comments as `flags` ([source, flag])
enum DeploymentInspector {
    static let script = #"""
import glob, json, os, re, shlex, sys
import yaml

root, mode = sys.argv[1], sys.argv[2]
problems = []
out = {"problems": problems}

def path(*parts):
    return os.path.join(root, *parts)

def load_all(relative):
    with open(path(relative)) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]

def load(relative):
    docs = load_all(relative)
    return docs[0] if docs else {}

EXPORTER = "nimbus-exporter"
CLOUD = "nimbus-cloud"
COMPOSE = "deploy/compose/docker-compose.yml"
KUBE = "deploy/kubernetes"

def kube_docs():
    docs = []
    for name in sorted(os.listdir(path(KUBE))):
        if name.endswith((".yaml", ".yml")) and name != "kustomization.yaml":
            for doc in load_all(os.path.join(KUBE, name)):
                docs.append((name, doc))
    return docs

def compose_source(volume):
    """The host side of a compose volume, with ${VAR:-default} taken at its default."""
    source = volume.split(":")[0] if not volume.startswith("${") else volume[:volume.index("}") + 1]
    return re.sub(r"^\$\{\w+:-([^}]*)\}$", r"\1", source), volume[len(source) + 1:].split(":")[0]

def host_and_port(target):
    host, _, port = str(target).rpartition(":")
    return host.strip("[]"), port

if mode == "yaml":
    count = 0
    for top in ("deploy", "grafana"):
        for dirpath, _, files in os.walk(path(top)):
            for name in sorted(files):
                if not name.endswith((".yml", ".yaml")):
                    continue
                count += 1
                full = os.path.join(dirpath, name)
                try:
                    with open(full) as f:
                        if not [d for d in yaml.safe_load_all(f) if d is not None]:
                            problems.append(full + ": no document")
                except yaml.YAMLError as error:
                    problems.append("%s: %s" % (full, error))
    out["count"] = count

elif mode == "compose":
    compose = load(COMPOSE)
    services = compose.get("services", {})
    base = path("deploy/compose")
    for wanted in (EXPORTER, "prometheus", "alertmanager", "grafana"):
        if wanted not in services:
            problems.append("compose: no service " + wanted)
    mounts = {}
    for name, service in services.items():
        # One network for all: every shipped address is localhost:<port>.
        if service.get("network_mode") != "host":
            problems.append("compose: %s is not on the host network" % name)
        for volume in service.get("volumes", []):
            source, target = compose_source(volume)
            if source.startswith("."):
                full = os.path.normpath(os.path.join(base, source))
                if not os.path.exists(full):
                    problems.append("compose: %s mounts %s, which does not exist" % (name, source))
                mounts[(name, target)] = full
    exporter = services.get(EXPORTER, {})
    build = exporter.get("build", {})
    context = os.path.normpath(os.path.join(base, build.get("context", ".")))
    if not os.path.isfile(os.path.join(context, build.get("dockerfile", "Dockerfile"))):
        problems.append("compose: the exporter's Dockerfile is not found from its build context")
    if exporter.get("pid") != "host":
        problems.append("compose: the exporter needs pid: host")
    if "/:/host:ro,rslave" not in exporter.get("volumes", []):
        problems.append("compose: the exporter needs / mounted read-only at /host")
    if "--path.rootfs=/host" not in exporter.get("command", []):
        problems.append("compose: the exporter needs --path.rootfs=/host")

    # Ports each service listens on, from its own flags.
    def listen_port(service, flag, default):
        for argument in services.get(service, {}).get("command", []):
            if argument.startswith(flag + "="):
                return host_and_port(argument.split("=", 1)[1])[1]
        return default
    ports = {listen_port(EXPORTER, "--web.listen-address", "10049"): EXPORTER,
             listen_port(CLOUD, "--web.listen-address", "10049"): CLOUD,
             listen_port("prometheus", "--web.listen-address", "9090"): "prometheus",
             listen_port("alertmanager", "--web.listen-address", "9093"): "alertmanager"}

    prometheus = load("deploy/prometheus/prometheus.yml")
    config_dir = "/etc/prometheus"
    mounted = [target for (service, target) in mounts if service == "prometheus"]
    for pattern in prometheus.get("rule_files", []) or []:
        inside = os.path.normpath(os.path.join(config_dir, pattern))
        mount = [t for t in mounted if inside.startswith(t.rstrip("/") + "/")]
        if not mount:
            problems.append("prometheus.yml rule_files %s: not mounted in the compose prometheus" % pattern)
            continue
        on_disk = mounts[("prometheus", mount[0])] + inside[len(mount[0]):]
        if not glob.glob(on_disk):
            problems.append("prometheus.yml rule_files %s: matches no file in the repository" % pattern)
    def static_targets(configs):
        for config in configs or []:
            for static in config.get("static_configs", []) or []:
                for target in static.get("targets", []) or []:
                    yield target
    scraped = set()
    for job in prometheus.get("scrape_configs", []) or []:
        for target in static_targets([job]):
            host, port = host_and_port(target)
            if host in ("localhost", "127.0.0.1"):
                if port not in ports:
                    problems.append("prometheus.yml job %s: %s is not served by the compose stack" % (job.get("job_name"), target))
                scraped.add(ports.get(port))
    if EXPORTER not in scraped:
        problems.append("prometheus.yml: no job scrapes the exporter at localhost:10049")
    alerting = (prometheus.get("alerting") or {}).get("alertmanagers", [])
    if not alerting:
        problems.append("prometheus.yml: no alertmanagers (compose runs one)")
    for target in static_targets(alerting):
        if ports.get(host_and_port(target)[1]) != "alertmanager":
            problems.append("prometheus.yml alertmanager %s is not the compose alertmanager" % target)

    grafana_targets = {t: s for (svc, t), s in mounts.items() if svc == "grafana"}
    provisioning = grafana_targets.get("/etc/grafana/provisioning")
    if not provisioning:
        problems.append("compose: grafana/provisioning is not mounted at /etc/grafana/provisioning")
    else:
        for file in sorted(glob.glob(os.path.join(provisioning, "datasources", "*.y*ml"))):
            for source in (load(file).get("datasources") or []):
                url = str(source.get("url", ""))
                port = re.sub(r"^\w+://[^:/]+:?(\d*).*$", r"\1", url)
                if source.get("type") == "prometheus" and ports.get(port or "80") != "prometheus":
                    problems.append("grafana datasource %s: %s is not the compose prometheus" % (source.get("name"), url))
        providers = 0
        for file in sorted(glob.glob(os.path.join(provisioning, "dashboards", "*.y*ml"))):
            for provider in (load(file).get("providers") or []):
                providers += 1
                where = str((provider.get("options") or {}).get("path", ""))
                if not any(where == t or where.startswith(t.rstrip("/") + "/") for t in grafana_targets):
                    problems.append("grafana dashboard provider path %s is not mounted" % where)
        if providers == 0:
            problems.append("grafana/provisioning/dashboards: no dashboard provider")

elif mode == "kubernetes":
    docs = kube_docs()
    kustomization = load(os.path.join(KUBE, "kustomization.yaml"))
    files = sorted({name for name, _ in docs})
    if sorted(kustomization.get("resources", [])) != files:
        problems.append("kustomization resources %s != files %s" % (kustomization.get("resources"), files))
    by_kind = {}
    for name, doc in docs:
        by_kind.setdefault(doc.get("kind"), []).append(doc)
        if doc.get("kind") != "Namespace" and doc["metadata"].get("namespace") != kustomization.get("namespace"):
            problems.append("%s %s: not in namespace %s" % (doc.get("kind"), doc["metadata"]["name"], kustomization.get("namespace")))
    def one(kind):
        found = by_kind.get(kind, [])
        if len(found) != 1:
            problems.append("expected one %s, found %d" % (kind, len(found)))
        return found[0] if found else {"spec": {"template": {"metadata": {}, "spec": {"containers": [{}]}}}}
    daemonset, deployment = one("DaemonSet"), one("Deployment")

    def check_pod(kind, workload):
        pod = workload["spec"]["template"]["spec"]
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        if workload["spec"].get("selector", {}).get("matchLabels", {}).items() - labels.items():
            problems.append(kind + ": selector does not match the pod labels")
        if (pod.get("securityContext") or {}).get("runAsNonRoot") is not True:
            problems.append(kind + ": runAsNonRoot is not set")
        accounts = {sa["metadata"]["name"] for sa in by_kind.get("ServiceAccount", [])}
        if pod.get("serviceAccountName") not in accounts:
            problems.append(kind + ": service account %s is not defined" % pod.get("serviceAccountName"))
        container = pod["containers"][0]
        context = container.get("securityContext") or {}
        if context.get("readOnlyRootFilesystem") is not True or context.get("allowPrivilegeEscalation") is not False:
            problems.append(kind + ": the container is not read-only without privilege escalation")
        resources = container.get("resources") or {}
        if not resources.get("requests") or not (resources.get("limits") or {}).get("memory"):
            problems.append(kind + ": resources are not set")
        if not any(p.get("name") == "metrics" and p.get("containerPort") == 10049 for p in container.get("ports", [])):
            problems.append(kind + ": no port named metrics on 10049")
        return pod, labels, container

    pod, host_labels, container = check_pod("DaemonSet", daemonset)
    if not (pod.get("hostPID") and pod.get("hostNetwork")):
        problems.append("DaemonSet: needs hostPID and hostNetwork")
    if not any(t.get("operator") == "Exists" and "key" not in t and "effect" not in t for t in pod.get("tolerations", [])):
        problems.append("DaemonSet: does not tolerate every taint")
    host_paths = {v["name"]: v["hostPath"]["path"] for v in pod.get("volumes", []) if "hostPath" in v}
    mounted_at = {}
    for mount in container.get("volumeMounts", []):
        if mount["name"] in host_paths:
            if mount.get("readOnly") is not True or not mount["mountPath"].startswith("/host"):
                problems.append("DaemonSet: %s must be read-only under /host" % mount["mountPath"])
            mounted_at[host_paths[mount["name"]]] = mount["mountPath"]
    flags = dict(a.split("=", 1) for a in container.get("args", []) if "=" in a)
    for flag, host in (("--path.procfs", "/proc"), ("--path.sysfs", "/sys"), ("--path.rootfs", "/")):
        if host not in mounted_at:
            problems.append("DaemonSet: the host's %s is not mounted" % host)
        elif flags.get(flag) != mounted_at[host]:
            problems.append("DaemonSet: %s=%s but the host's %s is at %s" % (flag, flags.get(flag), host, mounted_at[host]))

    cloud_pod, cloud_labels, cloud_container = check_pod("Deployment", deployment)
    if deployment["spec"].get("replicas") != 1 or (deployment["spec"].get("strategy") or {}).get("type") != "Recreate":
        problems.append("Deployment: must be one replica with the Recreate strategy")
    for required in ("--collector.disable-defaults",):
        if required not in cloud_container.get("args", []):
            problems.append("Deployment: missing " + required)
    if not any(a.startswith("--cache.directory=") for a in cloud_container.get("args", [])):
        problems.append("Deployment: no --cache.directory")

    services = by_kind.get("Service", [])
    def service_for(labels):
        return [s for s in services if s["spec"].get("selector") and not (s["spec"]["selector"].items() - labels.items())]
    for kind, labels in (("DaemonSet", host_labels), ("Deployment", cloud_labels)):
        if len(service_for(labels)) != 1:
            problems.append("%s: expected exactly one Service selecting its pods" % kind)
    for monitor in by_kind.get("ServiceMonitor", []):
        wanted = monitor["spec"]["selector"].get("matchLabels", {})
        matched = [s for s in services if not (wanted.items() - s["metadata"].get("labels", {}).items())]
        if not matched:
            problems.append("ServiceMonitor %s selects no Service" % monitor["metadata"]["name"])
        for endpoint in monitor["spec"].get("endpoints", []):
            if not any(p.get("name") == endpoint.get("port") for s in matched for p in s["spec"].get("ports", [])):
                problems.append("ServiceMonitor %s: no Service port %s" % (monitor["metadata"]["name"], endpoint.get("port")))
    for monitor in by_kind.get("PodMonitor", []):
        wanted = monitor["spec"]["selector"].get("matchLabels", {})
        pods = [(l, c) for l, c in ((host_labels, container), (cloud_labels, cloud_container)) if not (wanted.items() - l.items())]
        if not pods:
            problems.append("PodMonitor %s selects no pod" % monitor["metadata"]["name"])
        for endpoint in monitor["spec"].get("podMetricsEndpoints", []):
            if not any(p.get("name") == endpoint.get("port") for _, c in pods for p in c.get("ports", [])):
                problems.append("PodMonitor %s: no container port %s" % (monitor["metadata"]["name"], endpoint.get("port")))
    if not by_kind.get("ServiceMonitor") or not by_kind.get("PodMonitor"):
        problems.append("expected a ServiceMonitor and a PodMonitor")

elif mode == "commands":
    commands = []
    # systemd: ExecStart with $NIMBUS_EXPORTER_ARGS split on whitespace, as systemd does.
    unit = open(path("deploy/systemd/nimbus_exporter.service")).read()
    environment = {}
    for line in open(path("deploy/systemd/nimbus_exporter.default")):
        match = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            environment[match.group(1)] = " ".join(shlex.split(match.group(2)))
    if "NIMBUS_EXPORTER_ARGS" not in environment:
        problems.append("nimbus_exporter.default: NIMBUS_EXPORTER_ARGS is not set")
    exec_start = [l.split("=", 1)[1] for l in unit.splitlines() if l.startswith("ExecStart=")]
    for line in exec_start:
        words = line.split()
        args = []
        for word in words[1:]:
            if word.startswith("$"):
                args += environment.get(word[1:], "").split()
            else:
                args.append(word)
        commands.append({"source": "systemd", "args": args, "env": {}, "config": None})

    # Dockerfile: ENTRYPOINT is the binary; CMD, if any, its default arguments.
    dockerfile = open(path("deploy/container/Dockerfile")).read()
    entry = re.findall(r"^ENTRYPOINT\s+(\[.*\])\s*$", dockerfile, re.M)
    if len(entry) != 1 or json.loads(entry[0]) != ["/usr/local/bin/nimbus_exporter"]:
        problems.append("Dockerfile: ENTRYPOINT must be [\"/usr/local/bin/nimbus_exporter\"]")
    if "/usr/local/bin/nimbus_exporter" not in re.findall(r"^COPY --from=\S+ \S+ (\S+)$", dockerfile, re.M):
        problems.append("Dockerfile: the binary is not copied to /usr/local/bin/nimbus_exporter")
    cmd = re.findall(r"^CMD\s+(\[.*\])\s*$", dockerfile, re.M)
    commands.append({"source": "Dockerfile", "args": json.loads(cmd[-1]) if cmd else [], "env": {}, "config": None})

    for name, service in load(COMPOSE).get("services", {}).items():
        if "build" not in service:
            continue
        config = None
        for argument in service.get("command", []):
            if argument.startswith("--config.file="):
                for volume in service.get("volumes", []):
                    source, target = compose_source(volume)
                    if target == argument.split("=", 1)[1]:
                        config = open(os.path.join(path("deploy/compose"), source)).read()
                if config is None:
                    problems.append("compose %s: %s is not a mounted file" % (name, argument))
        env = {k: str(v) for k, v in (service.get("environment") or {}).items() if not str(v).startswith("$")}
        commands.append({"source": "compose " + name, "args": service.get("command", []), "env": env, "config": config})

    docs = kube_docs()
    config_maps = {d["metadata"]["name"]: d.get("data", {}) for _, d in docs if d.get("kind") == "ConfigMap"}
    for name, doc in docs:
        if doc.get("kind") not in ("DaemonSet", "Deployment"):
            continue
        pod = doc["spec"]["template"]["spec"]
        for container in pod["containers"]:
            args = container.get("args", [])
            env = {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}
            config = None
            for argument in args:
                if argument.startswith("--config.file="):
                    wanted = argument.split("=", 1)[1]
                    for mount in container.get("volumeMounts", []):
                        prefix = mount["mountPath"].rstrip("/") + "/"
                        volume = [v for v in pod.get("volumes", []) if v["name"] == mount["name"]]
                        if wanted.startswith(prefix) and volume and "configMap" in volume[0]:
                            config = config_maps.get(volume[0]["configMap"]["name"], {}).get(wanted[len(prefix):])
                    if config is None:
                        problems.append("%s: %s is not a key of a mounted ConfigMap" % (name, argument))
            commands.append({"source": "kubernetes %s %s" % (doc["kind"], doc["metadata"]["name"]),
                             "args": args, "env": env, "config": config})
    out["commands"] = commands

elif mode == "flags":
    flag = re.compile(r"(?<![\w-])--(?:no-)?[a-z][a-z0-9_-]*\.[A-Za-z0-9_.-]*[A-Za-z0-9_]")
    found = []
    def scan(source, text):
        for match in flag.findall(text):
            found.append([source, match])
    readme = open(path("README.md")).read()
    section = re.search(r"^## Deploy\n(.*?)(?=^## )", readme, re.M | re.S)
    if section:
        scan("README.md Deploy", section.group(1))
    else:
        problems.append("README.md: no \"## Deploy\" section")
    scan("deploy/container/README.md", open(path("deploy/container/README.md")).read())
    scan("deploy/container/Dockerfile", open(path("deploy/container/Dockerfile")).read())
    for name in ("nimbus_exporter.service", "nimbus_exporter.default"):
        scan("deploy/systemd/" + name, open(path("deploy/systemd", name)).read())
    # Only the exporter's block: the other services' flags are Prometheus's own.
    for name in (EXPORTER, CLOUD):
        block = re.search(r"^  %s:\n(.*?)(?=^  \S)" % name, open(path(COMPOSE)).read(), re.M | re.S)
        if block:
            scan(COMPOSE, block.group(1))
        else:
            problems.append("compose: no %s block" % name)
    for name in sorted(os.listdir(path(KUBE))):
        scan(KUBE + "/" + name, open(path(KUBE, name)).read())
    out["flags"] = found

else:
    problems.append("unknown mode " + mode)

print(json.dumps(out))
"""#
}
