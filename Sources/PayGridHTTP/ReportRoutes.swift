import Hummingbird
import PayGridCore
import PayGridServices

/// Daily reports (日报) as JSON, or CSV with `?format=csv`.
struct ReportRoutes {
    let reports: Reports

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("reports/daily/{date}", use: daily)
    }

    @Sendable func daily(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let signedIn = context.signedIn else { throw AuthError.unauthenticated }
        guard let date = Day(try context.parameters.require("date")) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
        let by = request.uri.queryParameters["by"].map(String.init) ?? "outlet"
        guard let grouping = DailyReport.Grouping(rawValue: by) else {
            throw RequestError.invalidField("by must be \(DailyReport.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let report = try await reports.daily(date, by: grouping, actor: signedIn)
        return try TableResponse.make(report.table, request: request, filename: "daily-\(date)-\(grouping.rawValue).csv")
    }
}

/// A report table as the client asks: CSV (`?format=csv`) or JSON (title, columns, rows of cells).
enum TableResponse {
    struct JSONTable: Encodable {
        var title: String
        var columns: [String]
        var rows: [[String]]
    }

    static func make(_ table: ReportTable, request: Request, filename: String) throws -> Response {
        switch request.uri.queryParameters["format"].map(String.init) ?? "json" {
        case "csv":
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
                            body: .init(byteBuffer: ByteBuffer(string: table.csv)))
        case "json":
            return try JSONBody.response(JSONTable(title: table.title, columns: table.header, rows: table.rows))
        default:
            throw RequestError.invalidField("format must be json or csv")
        }
    }
}
