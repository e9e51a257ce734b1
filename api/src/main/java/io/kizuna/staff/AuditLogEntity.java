package io.kizuna.staff;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** One staff action, written in the same transaction as the change it records. Never updated. */
@Entity
@Table(name = "audit_log")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class AuditLogEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    private Instant at;

    private String actor;

    private String action;

    private String target;

    private String detail;

    @Column(name = "request_id")
    private String requestId;

    protected AuditLogEntity() {
    }

    AuditLogEntity(UUID id, Instant at, String actor, String action, String target, String detail,
                   String requestId) {
        this.id = id;
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.target = target;
        this.detail = detail;
        this.requestId = requestId;
    }

    AuditEntry view() {
        return new AuditEntry(id, at, actor, action, target, detail, requestId);
    }
}
