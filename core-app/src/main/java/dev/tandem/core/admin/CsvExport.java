package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.ListRequest.Sql;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Streams a change list, with its search and filters, as CSV: every column the admin shows, in the
 * list's order. PostgreSQL sends the rows through a cursor ({@value #FETCH} at a time, in a
 * read-only transaction) and each is written out as it comes, so a million rows never sit in
 * memory. Cells that a spreadsheet would run as a formula are prefixed with {@code '}.
 */
@Component
class CsvExport {

    static final int FETCH = 1_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    CsvExport(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    static List<AdminField> columns(AdminModel<?> model) {
        return model.fields.values().stream()
                .filter(field -> field.inTable() && field.kind != Kind.MANY)
                .toList();
    }

    void write(ListRequest request, OutputStream out) {
        AdminModel<?> model = request.model;
        List<AdminField> columns = columns(model);
        Sql where = request.where(null);
        String sql = "select "
                + String.join(", ", columns.stream().map(f -> "t." + f.column).toList()) + " from "
                + model.table + " t where " + where.text() + " order by t." + request.sort.column
                + (request.descending ? " desc" : " asc") + ", t." + model.id.column
                + (request.descending ? " desc" : "");
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (CSVPrinter csv = CSVFormat.RFC4180
                .builder()
                .setHeader(columns.stream().map(f -> f.name).toArray(String[]::new))
                .get()
                .print(writer)) {
            readOnly.executeWithoutResult(status -> jdbc.query(
                    sql,
                    rs -> {
                        List<String> cells = new ArrayList<>(columns.size());
                        for (AdminField field : columns) {
                            String cell = field.format(ChangeLists.value(field, rs, field.column));
                            cells.add(field.kind == Kind.TEXT || field.kind == Kind.LONG_TEXT ? safe(cell) : cell);
                        }
                        try {
                            csv.printRecord(cells);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    where.params().toArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** OWASP's advice against CSV injection: a cell starting like a formula is made text. */
    static String safe(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }
}
