/// Every check that stands between user input and GLPK, in one place.
///
/// GLPK 5.0 calls `abort()` on invalid arguments and silently returns wrong
/// answers on non-finite data (see docs/GLPK.md). Each case names one
/// guard; the modelling API and the GLPK layer throw a ``ModelError`` carrying
/// it before any such value reaches the C library, and the model stays
/// usable after the throw (nothing is half-added).
public enum Guard: String, Sendable, CaseIterable, Codable {
    /// A coefficient, objective term or constant that is NaN or infinite
    /// (GLPK accepts them and answers wrongly).
    case nonFiniteValue
    /// A finite coefficient of magnitude >= 1e30 (GLPK overflows to -1.8e308).
    case magnitudeTooLarge
    /// A NaN bound, a lower bound of +infinity or an upper bound of -infinity.
    case invalidBound
    /// A lower bound above the upper bound (GLPK refuses the solve or aborts).
    case boundOrder
    /// A variable or constraint handle of another model, or out of range
    /// (GLPK aborts on a bad index).
    case foreignHandle
    /// A name of 256 bytes or more (GLPK aborts; 256 slips past one check).
    case nameTooLong
    /// A name with control characters (GLPK aborts).
    case nameControlCharacter
    /// More rows, columns or non-zeros than GLPK can index (100,000,000 rows
    /// or columns, `Int32.max` non-zeros).
    case sizeLimit
    /// A solver option outside its range (negative time, NaN gap, ...).
    case invalidOption
    /// A file path that GLPK's 4 KiB message buffer cannot hold, or that
    /// contains a NUL byte.
    case invalidPath
    /// A file that GLPK could not read or write (its message included).
    case fileFormat
    /// A precondition of an analysis call (ranging needs an optimal basis).
    case precondition
    /// Not a guard but what is left when the guards did not prevent it: a
    /// failure inside GLPK (a recovered fatal error, a problem destroyed by
    /// one, a basis GLPK cannot factorize). `value` keeps GLPK's return
    /// code when it gave one.
    case glpkFailure
}

/// What an error says about its cause, for the exit code.
public enum ErrorKind: String, Sendable {
    /// The input (a file, a value read from one) is invalid.
    case invalidInput
    /// The modelling API or the solver layer was used wrongly (an option
    /// out of range, a handle of another model, an analysis without a basis).
    case misuse
    /// The solver failed on valid input.
    case solverFailure
}

/// An invalid argument to the modelling API or the GLPK layer.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which guard refused the argument.
    public let guardName: Guard
    /// Where the value was found (`constraint 'cap' (#2), term of variable 'x' (#0)`).
    public let location: String
    /// The offending value, as text.
    public let value: String
    /// What is wrong, in words.
    public let reason: String

    /// Creates an error; used by the library and by other solver layers.
    public init(_ guardName: Guard, at location: String, value: String, _ reason: String) {
        self.guardName = guardName
        self.location = location
        self.value = value
        self.reason = reason
    }

    /// The kind of failure: a file or path is invalid input; the value
    /// guards are invalid input too (the values come from a file or an
    /// instance); options, handles and analysis preconditions are misuse;
    /// a failure inside GLPK is the solver's.
    public var kind: ErrorKind {
        switch guardName {
        case .fileFormat, .invalidPath, .nonFiniteValue, .magnitudeTooLarge, .invalidBound, .boundOrder, .nameTooLong,
            .nameControlCharacter, .sizeLimit:
            .invalidInput
        case .invalidOption, .foreignHandle, .precondition: .misuse
        case .glpkFailure: .solverFailure
        }
    }

    public var description: String {
        value.isEmpty ? "\(location): \(reason)" : "\(location): \(value) \(reason)"
    }
}

/// The sizes and magnitudes GLPK can take.
public enum ModelLimits {
    /// GLPK's maximum number of rows and of columns.
    public static let maxVariables = 100_000_000
    /// GLPK's maximum number of rows.
    public static let maxConstraints = 100_000_000
    /// Non-zeros are indexed by a C `int`.
    public static let maxNonzeros = Int(Int32.max) - 1
    /// Coefficients must be below this in magnitude.
    public static let maxMagnitude = 1e30
    /// Names are at most this many UTF-8 bytes.
    public static let maxNameBytes = 255

    /// Checks a name for GLPK: at most 255 UTF-8 bytes, no control characters.
    public static func checkName(_ name: String, at location: String) throws(ModelError) {
        let bytes = name.utf8.count
        if bytes > maxNameBytes {
            throw ModelError(
                .nameTooLong, at: location, value: "\(bytes) bytes",
                "is longer than \(maxNameBytes) bytes")
        }
        if name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw ModelError(
                .nameControlCharacter, at: location, value: name.debugDescription,
                "contains a control character")
        }
    }

    /// Checks a coefficient: finite and below ``maxMagnitude``.
    @inline(__always)
    public static func checkCoefficient(_ value: Double, at location: @autoclosure () -> String) throws(ModelError) {
        if !value.isFinite {
            throw ModelError(.nonFiniteValue, at: location(), value: "\(value)", "must be finite")
        }
        if abs(value) >= maxMagnitude {
            throw ModelError(
                .magnitudeTooLarge, at: location(), value: "\(value)",
                "has magnitude >= 1e30")
        }
    }

    /// Checks a pair of bounds: not NaN, lower not +inf, upper not -inf, lower <= upper.
    /// Finite values of magnitude >= 1e30 are read as infinite.
    public static func normalizedBounds(
        lower: Double, upper: Double, at location: @autoclosure () -> String
    ) throws(ModelError) -> (lower: Double, upper: Double) {
        if lower.isNaN || upper.isNaN {
            throw ModelError(.invalidBound, at: location(), value: "[\(lower), \(upper)]", "bound is NaN")
        }
        let lo = lower <= -maxMagnitude ? -Double.infinity : lower
        let hi = upper >= maxMagnitude ? Double.infinity : upper
        if lo >= maxMagnitude {
            throw ModelError(.invalidBound, at: location(), value: "\(lower)", "lower bound must be below 1e30")
        }
        if hi <= -maxMagnitude {
            throw ModelError(.invalidBound, at: location(), value: "\(upper)", "upper bound must be above -1e30")
        }
        if lo > hi {
            throw ModelError(
                .boundOrder, at: location(), value: "[\(lower), \(upper)]",
                "lower bound is above upper bound")
        }
        return (lo, hi)
    }
}
