// swift-tools-version:6.1
// The sourcing planner: a safe Swift layer over GLPK, the sourcing model of
// FORMULATION.md, and the `planner` command-line tool.
import PackageDescription

/// Settings shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SourcingPlanner",
    products: [
        .library(name: "StrictJSON", targets: ["StrictJSON"]),
        .library(name: "LinearModel", targets: ["LinearModel"]),
        .library(name: "GLPK", targets: ["GLPK"]),
        .executable(name: "planner", targets: ["planner"]),
        .executable(name: "build-coalition", targets: ["build-coalition"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // GLPK as Debian ships it (no pkg-config file): headers and `link "glpk"`.
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // The few calls Swift cannot make itself: setjmp-guarded solver calls
        // behind glp_error_hook, and the branch-and-cut callback.
        .target(
            name: "CGLPKShim",
            dependencies: ["CGLPK"]
        ),
        // Solver-independent modelling: variables, expressions, constraints,
        // options and results as plain value types.
        .target(
            name: "LinearModel",
            swiftSettings: swiftSettings
        ),
        // The only Swift module that imports GLPK's C API.
        .target(
            name: "GLPK",
            dependencies: ["CGLPK", "CGLPKShim", "LinearModel", "FileIO"],
            swiftSettings: swiftSettings
        ),
        // Reading and writing files through swift-system: whole-file reads
        // with limits, atomic writes (a temporary sibling and a rename),
        // checked appends, the standard streams.
        .target(
            name: "FileIO",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: swiftSettings
        ),
        // A strict JSON reader (limits, exact positions, duplicate keys
        // refused, key order kept) and a deterministic writer.
        .target(
            name: "StrictJSON",
            swiftSettings: swiftSettings
        ),
        // The sourcing model of docs/FORMULATION.md: instance types, decoding
        // and validation, model building, the pipeline, plans and reports.
        .target(
            name: "Sourcing",
            dependencies: ["LinearModel", "StrictJSON", "FileIO"],
            swiftSettings: swiftSettings
        ),
        // An RFC 4180 CSV reader (the coalition data, sweep outputs).
        .target(
            name: "CSV",
            swiftSettings: swiftSettings
        ),
        // The coalition reference instance, built from the public figures
        // in instances/data/ (CSV with sources).
        .target(
            name: "Coalition",
            dependencies: ["Sourcing", "CSV", "FileIO"],
            swiftSettings: swiftSettings
        ),
        // Regenerates instances/coalition-2026.json and the planner's
        // bundled copy from instances/data/ (a tool of its own: the planner
        // does not carry the data-build step).
        .executableTarget(
            name: "build-coalition",
            dependencies: [
                "Coalition", "Sourcing", "GLPK", "FileIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "planner",
            dependencies: [
                "LinearModel", "GLPK", "Sourcing", "StrictJSON", "CSV", "FileIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Exercises the GLPK layer for scripts/leakcheck (valgrind).
        .executableTarget(
            name: "leakcheck",
            dependencies: ["LinearModel", "GLPK"],
            swiftSettings: swiftSettings
        ),
        // Benchmark of issue 2: the Swift modelling path against direct C
        // calls (the baseline, which is why it imports CGLPK itself).
        .executableTarget(
            name: "bench-glpk",
            dependencies: ["CGLPK", "LinearModel", "GLPK"],
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets (paths to ../shared, tolerances)
        // and the in-memory test double of the solver protocols.
        .target(
            name: "TestSupport",
            dependencies: ["LinearModel"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinearModelTests",
            dependencies: ["LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SourcingTests",
            dependencies: ["FileIO", "StrictJSON", "Sourcing", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        // Runs the built `planner` binary: exit codes, outputs, cross-checks.
        .testTarget(
            name: "PlannerTests",
            dependencies: ["FileIO", "StrictJSON", "Sourcing", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoalitionTests",
            dependencies: ["FileIO", "StrictJSON", "CSV", "Coalition", "Sourcing", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GLPKTests",
            dependencies: ["FileIO", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
