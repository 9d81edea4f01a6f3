package io.govip.vip;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.govip.address.CidrAddress;
import io.govip.config.GovipConfig.AnnounceSettings;
import io.govip.net.AnnouncementBurst;
import io.govip.net.AnnouncementFailure;
import io.govip.net.Announcer;
import io.govip.net.BurstObserver;
import io.govip.net.Link;

/**
 * Announces the VIP through an {@link Announcer} on the interface as it is now: the packet socket is reopened when
 * the interface was re-created or changed its MAC, because announcements carry the MAC.
 */
public final class KernelAnnouncements implements Announcements, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");

    private final CidrAddress vip;
    private final AnnounceSettings settings;
    private final Supplier<Optional<Link>> currentLink;
    private final IntConsumer packetsSent;
    private final BooleanSupplier mayAnnounce;
    private Announcer announcer;
    private AnnouncementBurst burst;

    public KernelAnnouncements(CidrAddress vip, AnnounceSettings settings, Supplier<Optional<Link>> currentLink,
            BooleanSupplier mayAnnounce, IntConsumer packetsSent) {
        this.vip = vip;
        this.settings = settings;
        this.currentLink = currentLink;
        this.packetsSent = packetsSent;
        this.mayAnnounce = mayAnnounce;
    }

    @Override
    public Optional<String> startBurst() {
        stopBurst();
        if (settings.count() == 0) {
            return Optional.empty();
        }
        Optional<Link> link = currentLink.get();
        if (link.isEmpty()) {
            return Optional.of("no interface to announce on");
        }
        try {
            burst = announcerFor(link.get()).announce(vip.address(), settings.count(), settings.interval(),
                    settings.refresh(), new BurstObserver() {
                        @Override
                        public boolean mayAnnounce() {
                            return mayAnnounce.getAsBoolean();
                        }

                        @Override
                        public void roundSent(int frames) {
                            packetsSent.accept(frames);
                        }

                        @Override
                        public void failed(AnnouncementFailure failure) {
                            LOG.warnf("announcement stopped: %s (it resumes when the link comes up)",
                                    failure.message());
                        }
                    });
            return burst.failure().map(AnnouncementFailure::message);
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public void stopBurst() {
        if (burst != null) {
            burst.cancel();
            burst = null;
        }
    }

    private Announcer announcerFor(Link link) {
        if (announcer == null || announcer.link().index() != link.index()
                || !announcer.link().macText().equals(link.macText())) {
            close();
            announcer = Announcer.open(link);
        }
        return announcer;
    }

    @Override
    public void close() {
        if (announcer != null) {
            announcer.close();
            announcer = null;
        }
    }
}
