import CLibFuzzer

/// Helpers shared by the fuzz targets.

/// The target's check of one input, set once by `runFuzzer` before libFuzzer starts.
nonisolated(unsafe) private var target: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    target(UnsafeBufferPointer(start: data, count: count))
    return 0
}

/// Runs libFuzzer (its flags and corpus folders in `argv`) with `check` called on each input.
/// Each target calls it from its `<module>_main`, the name SwiftPM gives an executable's `main`.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                      _ check: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> CInt {
    target = check
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, testOneInput)
}

/// Stops the run when a property fails: libFuzzer saves the input as a crash.
public func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("property failed: \(message())", file: file, line: line) }
}

/// The input as text, when it is UTF-8 (the loaders refuse other bytes before parsing).
public func utf8Text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    String(validating: bytes, as: UTF8.self)
}

/// Splits `bytes` into chunks whose sizes cycle through `sizes` (each 1 or more): the same stream
/// delivered as a network might cut it.
public func chunks(_ bytes: ArraySlice<UInt8>, sizes: [Int]) -> [ArraySlice<UInt8>] {
    guard !sizes.isEmpty else { return [bytes] }
    var result: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var turn = 0
    while start < bytes.endIndex {
        let end = min(bytes.endIndex, start + max(1, sizes[turn % sizes.count]))
        result.append(bytes[start..<end])
        start = end
        turn += 1
    }
    return result
}

/// The first byte of an input chosen as a small parameter, the rest as the data.
public func split(_ bytes: UnsafeBufferPointer<UInt8>) -> (selector: UInt8, rest: ArraySlice<UInt8>) {
    guard let first = bytes.first else { return (0, []) }
    return (first, Array(bytes)[1...])
}
