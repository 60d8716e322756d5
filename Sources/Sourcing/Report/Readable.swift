/// Numbers as a person reads them in the text reports: thousands separators,
/// rounding, and the unit printed. JSON and CSV keep every digit (shortest
/// round-trip form); only the text is rounded.
///
/// - tonnes and USD/t: whole units with separators from 100 up
///   (`1,871 t`), three significant digits below (`12.5 t`, `0.0312 t`);
/// - USD: whole dollars with separators (`159,387,099,019 USD`);
/// - shares: percentages to three significant digits (`15.4%`, `1.67%`,
///   `100%`), trailing zeros dropped.
public enum Readable {
    /// `x` with three significant digits below 100 and whole units with
    /// thousands separators from 100 up; `-0` prints as `0`.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "n/a" : (x > 0 ? "inf" : "-inf") }
        if abs(x) >= 99.95 { return grouped(x.rounded()) }
        return significant(x, digits: 3)
    }

    /// Tonnes: `1,871 t`.
    public static func tonnes(_ x: Double) -> String { number(x) + " t" }

    /// Tonnes or `-` for nil.
    public static func tonnes(_ x: Double?) -> String { x.map(tonnes) ?? "-" }

    /// USD, whole dollars with separators: `159,387,099,019 USD`
    /// (cents only below 100 USD).
    public static func usd(_ x: Double) -> String { number(x) + " USD" }

    /// USD or `-` for nil.
    public static func usd(_ x: Double?) -> String { x.map(usd) ?? "-" }

    /// A signed USD change: `+614,968,437 USD`.
    public static func usdChange(_ x: Double) -> String { (x >= 0 ? "+" : "") + usd(x == 0 ? 0 : x) }

    /// USD per tonne: `12,345 USD/t`, or `-` for nil.
    public static func usdPerTonne(_ x: Double?) -> String { x.map { number($0) + " USD/t" } ?? "-" }

    /// A share (0.1544) as a percentage to three significant digits:
    /// `15.4%`; `-` for nil.
    public static func share(_ x: Double?) -> String {
        guard let x else { return "-" }
        return significant(100 * x, digits: 3) + "%"
    }

    /// A signed change of a share, in percentage points: `+13.8 pp`.
    public static func sharePoints(_ x: Double) -> String {
        (x > 0 ? "+" : "") + significant(100 * x, digits: 3) + " pp"
    }

    /// `x` rounded to `digits` significant digits, in plain decimal form
    /// (never an exponent), trailing zeros dropped.
    public static func significant(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return number(x) }
        if x == 0 { return "0" }
        let magnitude = Int((abs(x)).log10Floor)
        let decimals = max(0, digits - 1 - magnitude)
        if decimals == 0 { return grouped(x.rounded()) }
        return fixed(x, decimals: min(decimals, 15))
    }

    /// `x` with at most `decimals` decimals (rounded half away from zero,
    /// trailing zeros dropped), the integer part grouped: integer
    /// arithmetic, no C formatting (the report formats thousands of
    /// numbers).
    static func fixed(_ x: Double, decimals: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * Double(scale)).rounded()
        guard scaled < 9e15 else { return grouped(x.rounded()) }
        let n = Int64(scaled)
        let whole = n / scale
        var fraction = n % scale, places = decimals
        while places > 0 && fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        if n == 0 { return "0" }
        var text = (x < 0 ? "-" : "") + grouped(Double(whole))
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// An integral value with `,` every three digits: `159,387,099,019`.
    public static func grouped(_ x: Double) -> String {
        guard abs(x) < 1e18 else { return cFormat("%.3e", x) }
        let n = Int64(x)
        if n == 0 { return "0" }
        var digits = String(n.magnitude)
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }
}
