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
        .library(name: "LinearModel", targets: ["LinearModel"]),
        .library(name: "GLPK", targets: ["GLPK"]),
        .executable(name: "planner", targets: ["planner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
            dependencies: ["CGLPK", "CGLPKShim", "LinearModel"],
            swiftSettings: swiftSettings
        ),
        // The sourcing model of FORMULATION.md: instance types, strict JSON
        // decoding and validation, model building, plans and reports.
        .target(
            name: "Sourcing",
            dependencies: ["LinearModel"],
            swiftSettings: swiftSettings
        ),
        // The coalition reference instance, built from the public figures
        // in instances/data/ (CSV with sources).
        .target(
            name: "Coalition",
            dependencies: ["Sourcing"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "planner",
            dependencies: [
                "LinearModel", "GLPK", "Sourcing", "Coalition",
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
            dependencies: ["Sourcing", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        // Runs the built `planner` binary: exit codes, outputs, cross-checks.
        .testTarget(
            name: "PlannerTests",
            dependencies: ["Sourcing", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoalitionTests",
            dependencies: ["Coalition", "Sourcing", "GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GLPKTests",
            dependencies: ["GLPK", "LinearModel", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
