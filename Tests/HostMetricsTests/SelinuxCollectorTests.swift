import Exposition
import HostMetrics
import Testing

@Suite struct SelinuxCollectorTests {
    static func tree(_ name: String) -> HostPaths {
        HostPaths(procfs: Fixtures.path("edge/\(name)/proc"), sysfs: Fixtures.path("edge/\(name)/sys"),
                  rootfs: Fixtures.path("edge/\(name)"))
    }

    @Test func withoutSelinuxfsOnlyEnabledZero() throws {
        for paths in [Fixtures.host, Self.tree("missing")] {
            let families = try collect(SelinuxCollector(), paths: paths)
            #expect(families.map(\.name) == ["node_selinux_enabled"])
            #expect(families[0].type == .gauge)
            #expect(families.value("node_selinux_enabled") == 0)
        }
    }

    @Test func enabledGivesConfiguredAndCurrentModes() throws {
        // enforce: 1; /etc/selinux/config: SELINUX=permissive; process label not `kernel`.
        let families = try collect(SelinuxCollector(), paths: Self.tree("selinux-enforcing"))
        #expect(families.map(\.name) == ["node_selinux_enabled", "node_selinux_config_mode", "node_selinux_current_mode"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("node_selinux_enabled") == 1)
        #expect(families.value("node_selinux_config_mode") == 0)
        #expect(families.value("node_selinux_current_mode") == 1)
    }

    @Test func noLoadedPolicyMeansDisabled() throws {
        // selinuxfs is there but this process is labelled `kernel`.
        let families = try collect(SelinuxCollector(), paths: Self.tree("selinux-nopolicy"))
        #expect(families.map(\.name) == ["node_selinux_enabled"])
        #expect(families.value("node_selinux_enabled") == 0)
    }

    @Test func missingConfigIsDisabledMode() throws {
        let families = try collect(SelinuxCollector(), paths: Self.tree("selinux-noconfig"))
        #expect(families.value("node_selinux_enabled") == 1)
        #expect(families.value("node_selinux_config_mode") == -1)
        #expect(families.value("node_selinux_current_mode") == 0)
    }

    @Test func configFileModes() {
        func mode(_ text: String) -> Double { SelinuxCollector.configuredMode(ArraySlice(text.utf8)) }
        #expect(mode("SELINUX=enforcing\n") == 1)
        #expect(mode("SELINUX=permissive\n") == 0)
        #expect(mode("SELINUX=disabled\n") == -1)
        #expect(mode("SELINUX=\"enforcing\"\n") == 1)
        #expect(mode("# SELINUX=enforcing\n; SELINUX=enforcing\nSELINUXTYPE=targeted\nSELINUX=permissive\n") == 0)
        #expect(mode("  SELINUX=enforcing  \n") == 1)
        #expect(mode("SELINUX=permissive\nSELINUX=enforcing\n") == 0)
        #expect(mode("SELINUX = enforcing\n") == -1)
        #expect(mode("") == -1)
    }
}
