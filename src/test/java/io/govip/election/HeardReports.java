package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The reports an election listener heard, each its method name then its arguments, queued as they came. */
final class HeardReports {

    private HeardReports() {
    }

    /** The next report by that name, the name first; other reports (reads, mostly) are skipped. */
    static List<Object> next(BlockingQueue<List<Object>> heard, String report, String description)
            throws InterruptedException {
        while (true) {
            List<Object> call = heard.poll(10, TimeUnit.SECONDS);
            assertThat(call).as(description).isNotNull();
            if (call.getFirst().equals(report)) {
                return call;
            }
        }
    }
}
