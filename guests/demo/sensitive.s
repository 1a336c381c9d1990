; The x86 virtualization holes (Robin & Irvine 2000), one by one, as the guest sees them.
; Natively (or under emulate, or trap-emulate on the virtualizable profile) every line
; reads as on bare metal; under trap-emulate on the classic profile the deprivileged
; kernel (CPL 1) sees the truth, and the popf that should enable interrupts is lost.

        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4
        .equ    TIMER, 0x40
        .equ    PIC_CMD, 0x20
        .equ    IF, 0x200

start:  mov     sp, 0x9000
        mov     r0, idt_desc
        lidt    [r0]

        cli                             ; IF = 0: pushf must say so
        pushf
        pop     r1
        and     r1, IF
        mov     r0, msg_pushf
        call    print_flag

        mov     r1, cs                  ; the CPL the kernel believes it has: 0
        mov     r0, msg_cs
        call    print_num

        smsw    r1                      ; CR0's low bits: 0, paging and protection off
        mov     r0, msg_smsw
        call    print_num

        mov     r0, sidt_buf
        sidt    [r0]
        ld      r1, [sidt_buf+4]        ; the IDT base the kernel loaded
        mov     r0, msg_sidt
        call    print_num

        mov     r1, IF                  ; popf with IF set: interrupts must come on
        push    r1
        popf
        mov     r1, 200
        out     TIMER, r1
        mov     r2, 2000                ; wait long enough for two timer periods
wait:   sub     r2, 1
        jnz     wait
        mov     r1, 0
        out     TIMER, r1
        ld      r1, [ticks]
        mov     r0, msg_ticks
        call    print_num
        mov     r1, 0
        out     EXIT, r1

timer:  push    r1
        ld      r1, [ticks]
        add     r1, 1
        st      [ticks], r1
        out     PIC_CMD, r1
        pop     r1
        iret

; print_flag: r0 = message, r1 = flag bit (0 or non-zero)
print_flag:
        call    print_str
        cmp     r1, 0
        mov     r0, msg_zero
        jz      pf_out
        mov     r0, msg_one
pf_out: call    print_str
        ret

; print_num: r0 = message, r1 = number, printed in hex
print_num:
        call    print_str
        mov     r3, 28
pn_loop:
        mov     r2, r1
        shr     r2, r3
        and     r2, 0xf
        add     r2, hex
        ldb     r2, [r2]
        out     CONSOLE, r2
        sub     r3, 4
        jge     pn_loop
        mov     r2, 10
        out     CONSOLE, r2
        ret

; print_str: r0 = zero-terminated string (r0 is clobbered)
print_str:
        push    r2
ps_loop:
        ldb     r2, [r0]
        cmp     r2, 0
        jz      ps_done
        out     CONSOLE, r2
        add     r0, 1
        jmp     ps_loop
ps_done:
        pop     r2
        ret

msg_pushf:  .asciz "pushf after cli, IF = "
msg_zero:   .asciz "0\n"
msg_one:    .asciz "1\n"
msg_cs:     .asciz "mov r, cs (CPL)     = "
msg_smsw:   .asciz "smsw (CR0 low bits) = "
msg_sidt:   .asciz "sidt (IDT base)     = "
msg_ticks:  .asciz "timer interrupts after popf enabled IF = "
hex:        .ascii "0123456789abcdef"
        .align  8
ticks:      .word 0
sidt_buf:   .word 0, 0
idt_desc:   .word 8 * 33 - 1, idt
        .align  8
idt:        .space 8 * 32
            .word timer, 1              ; vector 32: timer, present, DPL 0
