import AssayCore
import ArgumentParser
import Foundation

/// Runs a command body and turns Assay's errors into a message on stderr and an exit code.
/// Users see what went wrong and what to do, never a Swift error dump.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as AssayError {
        printError("error: \(error.description)")
        throw ExitCode(error.exitCode)
    } catch let error as DiagnosticsError {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        let count = error.errors.count
        printError("\(count) error\(count == 1 ? "" : "s") found")
        throw ExitCode(AssayError(error.code, "").exitCode)
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a value as JSON on stdout (sorted keys, snake_case where the type says so).
func printJSON(_ value: some Encodable, encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
}()) throws {
    let data = try encoder.encode(value)
    print(String(decoding: data, as: UTF8.self))
}

/// `printJSON`'s encoder with property names in snake_case, for summaries whose types name no keys.
func snakeCaseEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return encoder
}
