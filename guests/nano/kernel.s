; The minimal kernel under each nanobenchmark of Adams & Agesen (ASPLOS 2006): a stack,
; an IDT, optionally identity paging, a way into user mode and a way to report and stop.
; The including file defines NAME (a string label) and `bench`, and sets N.

        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4
        .equ    KSTACK, 0x80000
        .equ    USTACK, 0x70000

        .ifndef N
        .equ    N, 1000
        .endif

start:  mov     sp, KSTACK
        mov     r0, KSTACK
        wrmsr   0, r0
        mov     r0, idt_desc
        lidt    [r0]
        jmp     bench

; set_gate: r0 = vector, r1 = handler, r2 = DPL
set_gate:
        shl     r0, 3
        add     r0, idt
        st      [r0], r1
        shl     r2, 1
        or      r2, 1
        st      [r0+4], r2
        ret

; paging_on: identity-maps the first 4 MiB, every page user-accessible and writable
paging_on:
        mov     r0, 0
        mov     r1, page_table
identity:
        mov     r2, r0
        or      r2, 7
        st      [r1], r2
        add     r1, 4
        add     r0, 4096
        cmp     r0, 0x400000
        jb      identity
        mov     r0, page_table
        or      r0, 7
        st      [page_dir], r0
        mov     r0, page_dir
        mov     cr3, r0
        mov     r0, 0x80000001
        mov     cr0, r0
        ret

; enter_user: r0 = entry point; runs it at CPL 3 with interrupts off
enter_user:
        push    USTACK
        push    0
        push    3
        push    r0
        iret

; report: prints "NAME: N iterations" and ends the run with exit code 0
report: mov     r1, NAME
report_name:
        ldb     r0, [r1]
        cmp     r0, 0
        jz      report_count
        out     CONSOLE, r0
        add     r1, 1
        jmp     report_name
report_count:
        mov     r1, N
        mov     r2, digits + 11
report_digit:
        sub     r2, 1
        mov     r3, r1
        div     r1, 10
        mov     r0, r1
        mul     r0, 10
        sub     r3, r0
        add     r3, '0'
        stb     [r2], r3
        cmp     r1, 0
        jnz     report_digit
report_print:
        ldb     r0, [r2]
        cmp     r0, 0
        jz      report_done
        out     CONSOLE, r0
        add     r2, 1
        jmp     report_print
report_done:
        mov     r1, iterations
report_tail:
        ldb     r0, [r1]
        cmp     r0, 0
        jz      report_exit
        out     CONSOLE, r0
        add     r1, 1
        jmp     report_tail
report_exit:
        mov     r0, 0
        out     EXIT, r0

digits:     .space 11
            .byte 0
iterations: .asciz " iterations\n"
            .align 8
idt_desc:   .word 256 * 8 - 1, idt
            .align 4096
page_dir:   .space 4096
page_table: .space 4096
idt:        .space 256 * 8
