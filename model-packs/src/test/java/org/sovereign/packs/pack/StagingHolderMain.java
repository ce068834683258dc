package org.sovereign.packs.pack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Child process for {@link StagingFolderTest}: creates a staging folder, says where, and holds it until killed. */
public final class StagingHolderMain {
    public static void main(String[] args) throws Exception {
        StagingFolder folder = StagingFolder.create(Path.of(args[0]), PackInstaller.STAGING_PREFIX);
        Files.writeString(folder.path().resolve("part"), "being written");
        System.out.println("holding " + folder.path());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
