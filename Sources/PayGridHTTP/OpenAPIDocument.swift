import Foundation
import NIOCore

/// The OpenAPI 3.1 description of the API, `openapi.json` next to the routes (a SwiftPM resource),
/// served byte for byte at `/api/v1/openapi.json`. Tests check that it names every route the
/// router has and nothing else, and `Scripts/fuzz-api.sh` checks the server against it.
enum OpenAPIDocument {
    /// The document's bytes, read once when the router is built: a build without the resource
    /// stops at start-up rather than serve an API with no description.
    static func load() -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            preconditionFailure("openapi.json is missing from the PayGridHTTP resource bundle")
        }
        return ByteBuffer(bytes: data)
    }
}
