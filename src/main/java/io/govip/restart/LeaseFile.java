package io.govip.restart;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.govip.election.LeaseJournal;

/**
 * This member's runtime file, {@code <state-dir>/<member>.lease}: the lease this process keeps alive, so that a
 * govip restarted on the same node after a crash can end it at once instead of waiting out its TTL.
 *
 * <p>Whether the process named in the file still runs is decided twice. The file names it by PID and start time,
 * and every govip holds a lock on {@code <member>.lock} for as long as it runs, which the kernel drops when the
 * process ends, however it ends. The lock is what makes the answer safe where PIDs mislead (another PID namespace,
 * as after a container restart, sees other numbers); a process that holds it is alive, and then nothing here is
 * touched: a second govip of the same member is the duplicate check's business.
 *
 * <p>An optimisation only: a state directory that cannot be created, locked or written costs one log line and
 * turns it off, and govip runs on.
 */
public final class LeaseFile implements LeaseJournal, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.govip");
    private static final int LONGEST_PLAIN_NAME = 200;

    private final String member;
    private final Optional<Recording> recording;
    private final Optional<LeaseRecord> crashedPredecessor;
    private long recordedLease;

    /** Where and as whom this process records its lease, while it holds the lock. */
    private record Recording(Path file, FileChannel lock, VipPlace place, ProcessIdentity self) {
    }

    private LeaseFile(String member, Optional<Recording> recording, Optional<LeaseRecord> crashedPredecessor) {
        this.member = member;
        this.recording = recording;
        this.crashedPredecessor = crashedPredecessor;
    }

    /**
     * Takes this member's lock in {@code stateDirectory} (none: the feature is off) and reads what a predecessor
     * left there.
     */
    public static LeaseFile open(Optional<Path> stateDirectory, String member, String vips) {
        if (stateDirectory.isEmpty()) {
            return off(member);
        }
        Path directory = stateDirectory.get();
        String stem = fileStem(member);
        FileChannel channel;
        VipPlace place;
        try {
            place = VipPlace.current(vips);
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(stem + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("state directory %s is not usable (%s): a crash of this govip costs the lease TTL instead of "
                    + "its restart", directory, e);
            return off(member);
        }
        if (!locked(channel, directory)) {
            closeQuietly(channel);
            LOG.warnf("another govip with member name \"%s\" runs on this node (it holds %s): leaving its lease "
                    + "file alone", member, directory.resolve(stem + ".lock"));
            return off(member);
        }
        Path leaseFile = directory.resolve(stem + ".lease");
        return new LeaseFile(member, Optional.of(new Recording(leaseFile, channel, place, ProcessIdentity.current())),
                predecessor(leaseFile, member, place));
    }

    private static LeaseFile off(String member) {
        return new LeaseFile(member, Optional.empty(), Optional.empty());
    }

    private static boolean locked(FileChannel channel, Path directory) {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            LOG.warnf("cannot lock in state directory %s (%s)", directory, e);
            return false;
        }
    }

    /**
     * The record left by a predecessor that no longer runs, if it may be ended from here: its VIP lived in the same
     * place as this process's. A garbled file is removed.
     */
    private static Optional<LeaseRecord> predecessor(Path leaseFile, String member, VipPlace place) {
        LeaseRecord record;
        try {
            record = LeaseRecord.decode(Files.readString(leaseFile, StandardCharsets.UTF_8));
            if (!record.member().equals(member)) {
                throw new LeaseRecord.GarbledLeaseFileException("it belongs to member \"" + record.member() + "\"");
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | LeaseRecord.GarbledLeaseFileException e) {
            LOG.warnf("lease file %s is unreadable or garbled (%s): ignoring and removing it", leaseFile,
                    e.getMessage());
            deleteQuietly(leaseFile);
            return Optional.empty();
        }
        if (record.process().isRunning()) {
            LOG.warnf("lease file %s names a govip that still runs (pid %d): leaving its lease alone", leaseFile,
                    record.process().pid());
            return Optional.empty();
        }
        if (!record.place().equals(place)) {
            LOG.infof("lease %s of a crashed predecessor (pid %d) had its VIP elsewhere (%s): leaving it to expire",
                    Long.toHexString(record.leaseId()), record.process().pid(), record.place());
            return Optional.empty();
        }
        return Optional.of(record);
    }

    /** What a predecessor that no longer runs left behind, with its VIP where this process's VIP is. */
    public Optional<LeaseRecord> crashedPredecessor() {
        return crashedPredecessor;
    }

    @Override
    public synchronized void keepingAlive(long leaseId) {
        if (recording.isEmpty()) {
            return;
        }
        Path target = recording.get().file();
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            // No fsync: the file must outlive this process, not the machine (after a reboot there is no lease
            // left to end, and the state directory is a tmpfs anyway).
            Files.writeString(temporary, new LeaseRecord(member, leaseId, recording.get().self(),
                    recording.get().place()).encode(),
                    StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            recordedLease = leaseId;
        } catch (IOException e) {
            LOG.warnf("could not record lease %s in %s (%s): a crash now costs the lease TTL instead of the restart",
                    Long.toHexString(leaseId), target, e);
        }
    }

    @Override
    public synchronized void revoked(long leaseId) {
        if (recording.isEmpty() || leaseId != recordedLease) {
            return;
        }
        deleteQuietly(recording.get().file());
        recordedLease = 0;
    }

    /** Gives up the lock; the kernel does the same when the process dies. */
    @Override
    public void close() {
        recording.ifPresent(held -> closeQuietly(held.lock()));
    }

    /** The member name as a file name: as it is when it is a plain one, else a digest of it. */
    static String fileStem(String member) {
        if (member.length() <= LONGEST_PLAIN_NAME && member.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            return member;
        }
        try {
            return "member-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(member.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("could not remove %s (%s)", path, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf("closing a lock file: %s", e);
        }
    }
}
