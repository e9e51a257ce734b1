package io.kizuna.db;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.eclipse.persistence.mappings.DatabaseMapping;
import org.eclipse.persistence.mappings.converters.Converter;
import org.eclipse.persistence.mappings.foundation.AbstractDirectMapping;
import org.eclipse.persistence.sessions.Session;

/**
 * Stores a {@link UUID} as BINARY(16), the time-ordered id format of every hot table. An EclipseLink converter
 * rather than a JPA one because it must also apply to primary keys.
 */
public final class UuidConverter implements Converter {
    /** The name entities refer to with {@code @Convert(UuidConverter.NAME)}. */
    public static final String NAME = "uuid";
    private static final long serialVersionUID = 1L;

    @Override
    public Object convertObjectValueToDataValue(Object objectValue, Session session) {
        return objectValue == null ? null : toBytes((UUID) objectValue);
    }

    @Override
    public Object convertDataValueToObjectValue(Object dataValue, Session session) {
        return dataValue == null ? null : fromBytes((byte[]) dataValue);
    }

    @Override
    public boolean isMutable() {
        return false;
    }

    @Override
    public void initialize(DatabaseMapping mapping, Session session) {
        if (mapping instanceof AbstractDirectMapping direct) {
            direct.setFieldClassification(byte[].class);
        }
        mapping.getField().setType(byte[].class);
    }

    public static byte[] toBytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }

    public static UUID fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
