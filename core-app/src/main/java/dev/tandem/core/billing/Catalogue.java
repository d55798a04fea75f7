package dev.tandem.core.billing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The plans and prices on sale, read from {@code plans} and {@code plan_prices} (staff edit both in the admin). */
@Component
public class Catalogue {

    /** A listed plan with the price it is sold at today per interval (empty for an interval it is not sold at). */
    public record Offer(Plan plan, Map<BillingInterval, Price> prices) {

        public Optional<Price> price(BillingInterval interval) {
            return Optional.ofNullable(prices.get(interval));
        }
    }

    private static final String PLAN = "select id, code, name, description, trial_days, included_seats,"
            + " api_calls_per_month, inference_texts_per_month, storage_bytes, requests_per_minute from plans";
    private static final String PRICE = "select id, plan_id, billing_interval, currency, unit_amount, seat_amount,"
            + " overage_per_1000, active from plan_prices";

    private final JdbcClient jdbc;

    Catalogue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The listed plans in their order, each with its active prices in {@code currency}. */
    public List<Offer> offers(String currency) {
        Map<Long, Map<BillingInterval, Price>> prices =
                jdbc
                        .sql(PRICE + " where active and currency = ?")
                        .param(currency)
                        .query(Catalogue::price)
                        .list()
                        .stream()
                        .collect(Collectors.groupingBy(
                                Price::planId, Collectors.toMap(Price::interval, price -> price, (a, b) -> a)));
        return jdbc.sql(PLAN + " where listed order by sort_order, id").query(Catalogue::plan).list().stream()
                .map(plan -> new Offer(plan, prices.getOrDefault(plan.id(), Map.of())))
                .toList();
    }

    public Optional<Plan> plan(String code) {
        return jdbc.sql(PLAN + " where code = ?")
                .param(code)
                .query(Catalogue::plan)
                .optional();
    }

    public Plan plan(long id) {
        return jdbc.sql(PLAN + " where id = ?").param(id).query(Catalogue::plan).single();
    }

    public Optional<Price> price(long id) {
        return jdbc.sql(PRICE + " where id = ?")
                .param(id)
                .query(Catalogue::price)
                .optional();
    }

    static Plan plan(ResultSet row, int n) throws SQLException {
        return new Plan(
                row.getLong("id"),
                row.getString("code"),
                row.getString("name"),
                row.getString("description"),
                row.getInt("trial_days"),
                row.getInt("included_seats"),
                row.getLong("api_calls_per_month"),
                row.getLong("inference_texts_per_month"),
                row.getLong("storage_bytes"),
                row.getInt("requests_per_minute"));
    }

    static Price price(ResultSet row, int n) throws SQLException {
        return new Price(
                row.getLong("id"),
                row.getLong("plan_id"),
                BillingInterval.of(row.getString("billing_interval")),
                row.getString("currency"),
                row.getLong("unit_amount"),
                row.getLong("seat_amount"),
                row.getLong("overage_per_1000"),
                row.getBoolean("active"));
    }
}
