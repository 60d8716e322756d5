import StrictJSON

/// The command-line shorthand for common scenario changes, as in
/// `planner whatif FILE --cut CHN:gallium=100% --cut COD:cobalt:mine=40% --ban CHN:graphite`
/// (docs/SCENARIOS.md):
///
/// | flag | change |
/// |---|---|
/// | `--cut COUNTRY:MINERAL=P%` | `capacity` factor `1 - P/100` where `{country, mineral}` |
/// | `--cut COUNTRY:MINERAL:STAGE=P%` | the same, only mines or only refineries (`mine`, `refinery`) |
/// | `--cut ID=P%` (no `:` before `=`) | `capacity` factor `1 - P/100` where `{id}` |
/// | `--ban COUNTRY:MINERAL` | `block {from: COUNTRY, mineral: MINERAL}` (an export ban) |
/// | `--ban COUNTRY` | `block {from: COUNTRY}` (every export of the country) |
///
/// P is a decimal number from 0 to 100 followed by `%`; COUNTRY is three
/// upper-case letters. Whether the ids, countries and minerals exist is
/// checked when the change is applied, like a scenario file's.
public enum QuickChange {
    /// The label that stands for the file in the diagnostics of bad flags.
    public static let diagnosticFile = "command line"

    /// Parses the value of a `--cut` flag.
    ///
    /// - Throws: ``InstanceError`` naming `--cut` and the text.
    public static func parseCut(_ text: String) throws(InstanceError) -> ScenarioChange {
        func failure(_ why: String) -> InstanceError {
            error("--cut", text, why + " (expected COUNTRY:MINERAL[:STAGE]=P% or FACILITY-ID=P%, like CHN:gallium=100%)")
        }
        guard let equals = text.lastIndex(of: "=") else { throw failure("no '='") }
        let target = text[..<equals]
        let percentText = text[text.index(after: equals)...]
        guard percentText.hasSuffix("%") else {
            throw failure("the cut \(JSONWriter.quoted(String(percentText))) must be a percentage ending in '%'")
        }
        let digits = percentText.dropLast()
        guard isDecimal(digits), let percent = Double(digits), percent.isFinite else {
            throw failure("the cut \(JSONWriter.quoted(String(percentText))) is not a number followed by '%'")
        }
        guard percent <= 100 else { throw failure("the cut \(show(percent))% must be between 0% and 100%") }
        let amount = ScenarioAmount.factor((100 - percent) / 100)

        guard target.contains(":") else {
            guard !target.isEmpty else { throw failure("no facility id before '='") }
            return .capacity(amount, where: FacilitySelector(id: String(target)))
        }
        let parts = target.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 3 else { throw failure("too many ':'") }
        let country = parts[0]
        let mineral = parts[1]
        guard isCountryCode(country) else {
            throw failure("\(JSONWriter.quoted(country)) is not a country code (three upper-case letters)")
        }
        guard !mineral.isEmpty else { throw failure("no mineral after \(country):") }
        var selector = FacilitySelector(country: country, mineral: mineral)
        if parts.count == 3 {
            guard let stage = FacilityStage(rawValue: parts[2]) else {
                throw failure("the stage \(JSONWriter.quoted(parts[2])) must be \"mine\" or \"refinery\"")
            }
            selector.stage = stage
        }
        return .capacity(amount, where: selector)
    }

    /// Parses the value of a `--ban` flag.
    ///
    /// - Throws: ``InstanceError`` naming `--ban` and the text.
    public static func parseBan(_ text: String) throws(InstanceError) -> ScenarioChange {
        func failure(_ why: String) -> InstanceError {
            error("--ban", text, why + " (expected COUNTRY or COUNTRY:MINERAL, like CHN:graphite)")
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw failure("too many ':'") }
        guard isCountryCode(parts[0]) else {
            throw failure("\(JSONWriter.quoted(parts[0])) is not a country code (three upper-case letters)")
        }
        guard parts.count == 2 else { return .block(Block(from: parts[0])) }
        guard !parts[1].isEmpty else { throw failure("no mineral after \(parts[0]):") }
        return .block(Block(from: parts[0], mineral: parts[1]))
    }

    /// A scenario of the `--cut` changes, then the `--ban` changes, each in
    /// the order given.
    ///
    /// - Throws: ``InstanceError`` with the problem of every bad flag.
    public static func scenario(cuts: [String], bans: [String], name: String? = nil) throws(InstanceError) -> Scenario {
        var changes: [ScenarioChange] = []
        var problems: [Diagnostic] = []
        for text in cuts {
            do throws(InstanceError) { changes.append(try parseCut(text)) } catch { problems += error.diagnostics }
        }
        for text in bans {
            do throws(InstanceError) { changes.append(try parseBan(text)) } catch { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw InstanceError(diagnostics: problems) }
        return Scenario(name: name, changes: changes)
    }

    // MARK: Helpers

    static func error(_ flag: String, _ text: String, _ message: String) -> InstanceError {
        InstanceError(diagnostics: [
            .error(
                file: diagnosticFile, path: flag,
                "\(JSONWriter.quoted(text, maxCharacters: 80)): \(message)")
        ])
    }

    /// Digits with at most one '.', and at least one digit (no sign, no exponent).
    static func isDecimal(_ text: Substring) -> Bool {
        var digits = 0
        var dots = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            default: return false
            }
        }
        return digits > 0 && dots <= 1
    }

    static func isCountryCode(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}
