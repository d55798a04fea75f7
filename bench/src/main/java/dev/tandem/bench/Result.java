package dev.tandem.bench;

/**
 * A measured run of one scenario against one service.
 *
 * @param scenario the scenario's id ({@code user-by-id})
 * @param title what it does, for the report
 * @param service {@code hot-path-service} or {@code core-app}
 * @param connections open connections wrk kept busy
 * @param wrk what wrk measured
 * @param cpuSecondsPer1000 the service process's CPU time (user + system) per 1 000 requests
 * @param postgresCpuSecondsPer1000 the CPU time of all PostgreSQL processes per 1 000 requests
 * @param wrkCpuSecondsPer1000 the load generator's own CPU time per 1 000 requests (it shares the cores)
 * @param peakRssMegabytes the service process's resident-set high-water mark during the measured run
 * @param raw the file holding wrk's own output
 */
record Result(
        String scenario,
        String title,
        String service,
        int connections,
        WrkResult wrk,
        double cpuSecondsPer1000,
        double postgresCpuSecondsPer1000,
        double wrkCpuSecondsPer1000,
        double peakRssMegabytes,
        String raw) {}
