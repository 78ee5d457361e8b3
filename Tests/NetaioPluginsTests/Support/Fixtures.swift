import Foundation
import NetaioWire

/// Finds the repository from this source file's path (tests run from any directory) and
/// loads the golden vectors made by the real Python netaio 0.0.9.
enum Fixtures {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    nonisolated(unsafe) static let vectors: [[String: Any]] = {
        let url = repositoryRoot.appendingPathComponent("Fixtures/vectors/vectors.json")
        let data = try! Data(contentsOf: url)
        return try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }()

    static func vectors(kind: String) -> [[String: Any]] {
        vectors.filter { $0["kind"] as? String == kind }
    }
}

/// Hex from a vector field (`null` → nil).
func hexBytes(_ value: Any?) -> [UInt8]? {
    guard let text = value as? String else { return nil }
    return Hex.decode(text)
}

func bytes(_ value: Any?) -> [UInt8] { hexBytes(value)! }

extension Array where Element == UInt8 {
    var hex: String { Hex.encode(self) }
}

extension Dictionary where Key == String, Value == Any {
    subscript(object key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    var name: String { self["name"] as? String ?? "?" }
}
