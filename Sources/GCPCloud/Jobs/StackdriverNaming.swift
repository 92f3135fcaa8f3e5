import Exposition

/// Names as prometheus-community/stackdriver_exporter writes them, so its dashboards and
/// rules carry over: `stackdriver_<resource type>_<metric type>`, each part split into words at
/// case changes, between letters and digits and at punctuation, lower-cased and joined with
/// `_` (`gce_instance` + `compute.googleapis.com/instance/cpu/utilization` →
/// `stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization`; `k8s_container`
/// → `k_8_s_container`, as that exporter has it).
enum StackdriverNaming {
    static func metricName(resourceType: String, metricType: String) -> String {
        let parts = ["stackdriver", normalize(resourceType), normalize(metricType)].filter { !$0.isEmpty }
        return MetricNames.sanitize(parts.joined(separator: "_"))
    }

    /// The words of `text`, lower-cased, joined with `_`; punctuation only separates.
    static func normalize(_ text: String) -> String {
        words(text).compactMap { word -> String? in
            let kept = String(word.unicodeScalars.filter { isNameCharacter($0) && $0 != "_" }).lowercased()
            return kept.isEmpty ? nil : kept
        }.joined(separator: "_")
    }

    /// A label name for a Google label key: characters a label cannot hold become `_`, and a
    /// leading digit gets one in front.
    static func labelName(_ key: String) -> String {
        var out = ""
        for scalar in key.unicodeScalars {
            out.unicodeScalars.append(isNameCharacter(scalar) ? scalar : "_")
        }
        if out.isEmpty { return "_" }
        if let first = out.unicodeScalars.first, first >= "0" && first <= "9" { out = "_" + out }
        return out
    }

    private enum CharacterClass { case lower, upper, digit, other }

    private static func characterClass(_ character: Character) -> CharacterClass {
        if character.isLowercase { return .lower }
        if character.isUppercase { return .upper }
        if character.isNumber { return .digit }
        return .other
    }

    /// Runs of one character class; an upper-case run followed by a lower-case one gives its
    /// last letter to the next word (`HTTPServer` → `HTTP`, `Server`).
    private static func words(_ text: String) -> [String] {
        var runs: [[Character]] = []
        var lastClass: CharacterClass?
        for character in text {
            let current = characterClass(character)
            if current == lastClass, !runs.isEmpty {
                runs[runs.count - 1].append(character)
            } else {
                runs.append([character])
            }
            lastClass = current
        }
        for index in runs.indices.dropLast() {
            guard let first = runs[index].first, let next = runs[index + 1].first,
                  characterClass(first) == .upper, characterClass(next) == .lower,
                  let moved = runs[index].popLast() else { continue }
            runs[index + 1].insert(moved, at: 0)
        }
        return runs.filter { !$0.isEmpty }.map { String($0) }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || scalar == "_"
    }
}
