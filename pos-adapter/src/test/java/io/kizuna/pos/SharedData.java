package io.kizuna.pos;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where ../shared/data is: the kizuna.shared.data system property, set by the build. */
final class SharedData {
    private SharedData() {
    }

    static Path folder(String child) {
        String configured = System.getProperty("kizuna.shared.data", "../../shared/data");
        Path folder = Path.of(configured).resolve(child).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            fail("Conformance data is absent: " + folder + " does not exist. These tests read ../shared/data beside"
                    + " the checkout; point -Dkizuna.shared.data at it.");
        }
        return folder;
    }
}
