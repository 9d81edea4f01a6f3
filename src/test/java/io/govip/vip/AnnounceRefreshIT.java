package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;

/** With --announce-refresh a holder keeps announcing its VIP long after the takeover burst, as seen on the wire. */
class AnnounceRefreshIT {

    private static final String VIP = Lab.ipv4Vip(8);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final int WATCHED_SECONDS = 6;

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    void aHolderAnnouncesItsVipAgainEverySecondAfterItsOneAnnouncementBurst() throws Exception {
        lab = labs.create(VIP + "/32", "--announce-count", "1", "--announce-refresh", "1s");
        lab.startGovip(1);
        lab.awaitSingleHolder(STARTUP);
        GovipLab.pause(Duration.ofSeconds(1));

        List<String> announcements = gratuitousArpSeenByTheClient();

        // One refresh a second is a request and a reply: six seconds hold three refreshes at the very least, however
        // late tcpdump starts listening.
        assertThat(announcements).as(lab.logs()).hasSizeGreaterThanOrEqualTo(6)
                .allMatch(line -> line.contains("Request who-has " + VIP + " tell " + VIP)
                        || line.contains("Reply " + VIP + " is-at"));
    }

    private List<String> gratuitousArpSeenByTheClient() throws IOException, InterruptedException {
        LabHost client = lab.lab().client();
        Path log = Files.createTempFile("announce-refresh-", ".log");
        try {
            Process tcpdump = client.namespace().start(List.of("timeout", Integer.toString(WATCHED_SECONDS),
                    "tcpdump", "-i", client.interfaceName(), "-n", "-l", "-c", "100", "arp and host " + VIP), log);
            assertThat(tcpdump.waitFor(WATCHED_SECONDS + 5, TimeUnit.SECONDS)).isTrue();
            return Files.readAllLines(log).stream().filter(line -> line.contains("ARP,")).toList();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
